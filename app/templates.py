"""Built-in checklist templates: the lists a crew lead would otherwise type in on day one.

Plain data. Items marked required are the ones a lead must see done before signing the
list off (safety, anything that hurts someone or loses gear when skipped); the rest are
good practice that a lead may leave open. Each template has a stable key, from which
the store derives fixed record ids, so two devices that first open the templates while
offline create the same records and the merge keeps one copy, not two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateItem:
    text: str
    required: bool


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    items: tuple[TemplateItem, ...]


def _items(*lines: str) -> tuple[TemplateItem, ...]:
    """``"! text"`` is a required item, ``"text"`` an optional one."""
    return tuple(TemplateItem(line.removeprefix("! "), line.startswith("! ")) for line in lines)


BUILT_IN: tuple[Template, ...] = (
    Template(
        "stage-setup",
        "Stage setup",
        _items(
            "! Stage deck level, locked and skirted; edges marked with white tape",
            "! Truss and rigging points signed off by the rigger",
            "! Power distro earthed, RCD-tested, cables ramped or flown",
            "Risers and rolling risers placed to the stage plot",
            "FOH and monitor desks patched to the input list",
            "! Line check of every channel from stage to FOH",
            "Lighting focus done and cue stack loaded",
            "Backline placed and powered",
            "! Stage left and right clear of cases; escape routes clear",
            "Gaff tape, batteries and spare cables at side stage",
        ),
    ),
    Template(
        "safety-walk",
        "Safety walk",
        _items(
            "! Fire exits unlocked, unobstructed and signed",
            "! Fire extinguishers present, in date, at marked points",
            "! First-aid kit stocked; first aider named on the call sheet",
            "! Cable runs taped down or matted on walkways",
            "! Working at height: harnesses, edge protection, spotters",
            "Hazardous materials (fuel, pyro, smoke fluid) stored and labelled",
            "! Nearest hospital and emergency number posted at base",
            "Weather checked; wind limits for rigging and drones noted",
            "! Safety briefing given to all crew and cast on set",
            "Hearing protection available near loud sources",
        ),
    ),
    Template(
        "load-out",
        "Load-out",
        _items(
            "! Power isolated before cables are struck",
            "All cable coiled, counted and returned to its case",
            "! Every case scanned back in against the gear list",
            "Rental returns separated and labelled by vendor",
            "! Truck loaded heavy-first and strapped; tail lift checked",
            "Venue swept; tape and cable ties removed from floor and truss",
            "Damage and missing items reported with photos",
            "! Final walk with the venue manager; keys and passes returned",
        ),
    ),
    Template(
        "camera-prep",
        "Camera prep",
        _items(
            "! Body powers up; firmware matches the camera report",
            "! Sensor and lens mount clean, no dust in a stopped-down test",
            "! Lenses checked: focus marks verified, collimation tested",
            "! Media formatted in camera and labelled; spare cards in the case",
            "Batteries charged and rotated; chargers packed",
            "Monitors and wireless video paired with the camera",
            "Timecode jammed to sound and confirmed on slate",
            "Follow focus and matte box fitted, rods tight",
            "! Project settings set: resolution, frame rate, codec, LUT",
            "Camera report sheets and pens in the AC bag",
        ),
    ),
)
