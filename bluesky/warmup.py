"""Make a web worker ready before its first request, then keep what it loaded out of the garbage collector.

Django imports the URLconf (and through it every view, form and serializer)
and compiles templates on the first request that needs them. ``warm_up()``
does that at start-up instead, then ``gc.freeze()``s every object alive at
that moment: the collector never scans them again. Without it, each full
collection (about one in ten dashboard requests) walked the ~150,000 objects
of the loaded app and paused that request by 80–100 ms, so the dashboards'
95th percentile was twice their median (see bench/README.md). Freezing in
the process that then serves also suits gunicorn's ``--preload``: frozen
objects are not written to by the collector, so forked workers keep
sharing their memory pages.

``bluesky/wsgi.py`` calls it for gunicorn and runserver; ``bench/pages_bench.py``
calls it so that its figures are those of such a worker.
"""

from __future__ import annotations

import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver


def load_urlconf() -> None:
    """Import every view module the URLconf names and build its reverse lookup tables."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 — imports the URLconf and the views it names
    resolver.reverse_dict  # noqa: B018 — builds the reverse lookup (``{% url %}``) once


def compile_project_templates() -> int:
    """Compile the project's own templates (``templates/``) into the cached loader; returns how many."""
    compiled = 0
    for directory in map(Path, settings.TEMPLATES[0].get("DIRS", [])):
        for path in sorted(directory.rglob("*.html")):
            try:
                get_template(path.relative_to(directory).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # the first request that uses it reports the error, as without warm-up
            compiled += 1
    return compiled


def freeze_heap() -> int:
    """Collect what is garbage now, then move every live object out of the collector's reach."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def warm_up() -> None:
    load_urlconf()
    compile_project_templates()
    freeze_heap()
