"""Entry point for ``flet build``: it runs ``main.py`` at the root of the app directory.

Packaged apps (Android, iOS, desktop builds) start here; ``crewkit`` on the command line
starts ``views.main:main`` directly. No arguments: the packaged app's data directory
comes from ``FLET_APP_STORAGE_DATA``, which Flet sets.
"""

from views.main import main

main([])
