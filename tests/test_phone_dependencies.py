"""Every runtime package of the phone builds can be installed by `flet build apk|ipa`.

flet-cli 1.0.5 installs `[project] dependencies` plus `[tool.flet.<android|ios>] dependencies`
with pip in a cross-platform environment where `platform_system` is "Android" or "iOS". A
package installs there only if it is pure Python or Flet's mobile package index builds it
(`../shared/platforms/flet-mobile-binary-packages.tsv`). The closure is walked through the
metadata of the packages installed here, whose dependency lists carry the same markers.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
MOBILE_INDEX = ROOT.parent / "shared" / "platforms" / "flet-mobile-binary-packages.tsv"
PHONES = {"android": ("Android", "android"), "ios": ("iOS", "ios")}
PURE_WHEEL_PUBLISHED = frozenset({"fonttools", "charset-normalizer"})
"""Installed here from a binary wheel, but also published as a py3-none-any wheel, which is
what a phone gets (`pip download --no-deps --only-binary=:all: --platform android_24_arm64_v8a
--python-version 3.12 fonttools charset-normalizer` saves fonttools-*-py3-none-any.whl and
charset_normalizer-*-py3-none-any.whl; the latter comes with RapidOCR's requests)."""


def mobile_index() -> dict[str, Version | None]:
    """Package name -> the version the index builds (``None`` where its recipe leaves it open)."""
    rows = (
        line.split("\t")
        for line in MOBILE_INDEX.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return {
        canonicalize_name(name): None if "{" in version else Version(version.strip())
        for name, version in rows
    }


def top_level(config_platform: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = project.get("tool", {}).get("flet", {}).get(config_platform, {})
    names = project["project"]["dependencies"] + extra.get("dependencies", [])
    return [Requirement(name) for name in names]


def is_pure(dist: metadata.Distribution) -> bool:
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    return bool(tags) and all(tag.endswith("-none-any") for tag in tags)


def closure(config_platform: str) -> dict[str, Requirement]:
    """Every requirement pip would install for the phone, by package name."""
    system, sys_platform = PHONES[config_platform]
    env = {**default_environment(), "platform_system": system, "sys_platform": sys_platform}
    found: dict[str, Requirement] = {}
    todo = top_level(config_platform)
    while todo:
        req = todo.pop()
        extras = req.extras or {""}
        if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in extras):
            continue
        name = canonicalize_name(req.name)
        if name in found and req.extras <= found[name].extras:
            continue
        found[name] = req
        for dep in metadata.distribution(name).requires or []:
            dep_req = Requirement(dep)
            if dep_req.marker and not any(
                dep_req.marker.evaluate({**env, "extra": e}) for e in ("", *req.extras)
            ):
                continue
            dep_req.marker = None
            todo.append(dep_req)
    return found


def uninstallable(config_platform: str) -> list[str]:
    index = mobile_index()
    problems = []
    for name, req in sorted(closure(config_platform).items()):
        if name in index:
            built = index[name]
            if built is not None and not req.specifier.contains(built, prereleases=True):
                problems.append(f"{req} excludes the mobile index's {name} {built}")
        elif name not in PURE_WHEEL_PUBLISHED and not is_pure(metadata.distribution(name)):
            problems.append(f"{name}: binary wheel, not in Flet's mobile package index")
    return problems


@pytest.mark.parametrize("config_platform", sorted(PHONES))
def test_every_phone_dependency_is_pure_python_or_in_the_mobile_index(
    config_platform: str,
) -> None:
    assert uninstallable(config_platform) == []


@pytest.mark.parametrize("config_platform", sorted(PHONES))
def test_the_phone_closure_keeps_the_app_and_drops_desktop_only_packages(
    config_platform: str,
) -> None:
    names = set(closure(config_platform))
    assert {"flet", "flet-camera", "opencv-python-headless", "pyzbar", "pillow", "numpy"} <= names
    assert {"rapidocr", "onnxruntime"} <= names, "receipts are read on the phone too"
    assert not {"zxing-cpp", "flet-web", "fastapi", "uvicorn"} & names


def test_the_desktop_keeps_zxing_cpp_and_flet_web() -> None:
    desktop = {
        canonicalize_name(r.name)
        for r in top_level("linux")
        if r.marker is None or r.marker.evaluate()
    }
    assert {"zxing-cpp", "flet-web"} <= desktop


def test_the_phone_builds_ask_for_the_camera_and_the_local_network() -> None:
    """The keys flet-cli 1.0.5 reads: ``tool.flet.permissions`` (cross-platform sets),
    ``tool.flet.android.permission`` (manifest entries), ``tool.flet.ios.info`` (Info.plist)."""
    flet = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["flet"]
    assert "camera" in flet["permissions"]
    android = flet["android"]["permission"]
    assert {f"android.permission.{name}" for name in (
        "CAMERA", "INTERNET", "ACCESS_WIFI_STATE", "CHANGE_WIFI_MULTICAST_STATE")} <= {
        name for name, wanted in android.items() if wanted is True}  # fmt: skip
    info = flet["ios"]["info"]
    assert info["NSCameraUsageDescription"] and info["NSLocalNetworkUsageDescription"]
    assert "_crewkit._tcp" in info["NSBonjourServices"]
