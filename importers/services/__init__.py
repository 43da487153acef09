"""Saving a parsed plan: preview an upload, then apply it in one transaction.

The flow the browser and the CLI share:

0. On the upload page, ``store_upload`` (``parsing``) keeps the file and a Celery job
   (``importers.jobs.parse_upload``) runs ``parse_stored_upload``: step 1 off the web worker.
1. ``preview_upload`` (``previews``) hashes the file; a file already imported changes
   nothing. Otherwise it parses (pure), reads what the document does not say from
   its file name and the units it names, recognises a plan already imported by its
   content (``importers.identity``: 发文字号, title, measure texts) and keeps the
   result on a ``PlanImport`` waiting for the office.
2. ``apply_import`` (``saving``) writes the plan in one transaction, with the office's
   decisions for the unit names the directory did not know. A revised version or
   another format of a plan already imported updates it in place (``revisions``):
   unchanged measures keep their progress, a field the new file lacks is never
   blanked, and the diff says what was added, changed and removed.
3. ``withdraw_plan`` / ``restore_plan`` (``withdrawal``) take an import back out of
   the office's work and return it, keeping every record.
"""

from .parsing import expire_stale_previews, mark_job_sent, parse_stored_upload, store_upload, unsent_parses
from .previews import (
    cancel_import,
    find_previous_version,
    map_import_columns,
    parse_to_json,
    preview_diff,
    preview_identity,
    preview_upload,
    sha256_of,
    unit_decision_defaults,
    unresolved_unit_names,
    update_import_metadata,
)
from .revisions import revision_diff
from .saving import apply_import, import_file
from .withdrawal import restore_plan, withdraw_plan

__all__ = [
    "apply_import",
    "cancel_import",
    "expire_stale_previews",
    "mark_job_sent",
    "parse_stored_upload",
    "store_upload",
    "unsent_parses",
    "find_previous_version",
    "import_file",
    "map_import_columns",
    "parse_to_json",
    "preview_diff",
    "preview_identity",
    "preview_upload",
    "restore_plan",
    "revision_diff",
    "sha256_of",
    "unit_decision_defaults",
    "unresolved_unit_names",
    "update_import_metadata",
    "withdraw_plan",
]
