"""fac-eval: reproducible, privacy-safe evaluation of Form'Ain Cube sessions."""

import sys as _sys

__version__ = "0.1.0"

# jsonschema (imported by nbformat, hence papermill and nbconvert) loads its optional IRI format
# checker, rfc3987_syntax, whenever it is installed (JupyterLab's pins bring it): that import
# compiles 38 Lark grammars, about 2.5 s of CPU in every process that renders a report. No
# notebook schema uses the "iri" formats, so fac-eval's processes go without that checker.
_sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
