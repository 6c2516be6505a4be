"""
Writing outputs: the recipe (:class:`OutputSpec`), the registry of outputs
(the caption formats plus the HTML preview page), the one write path
(:func:`write_outputs`) and atomic file writing.

>>> from gcore_captions.output import OutputSpec, write_outputs
>>> spec = OutputSpec.parse("srt,vtt", preset="netflix")
>>> write_outputs(transcript, spec, "out/")          # doctest: +SKIP
"""

from __future__ import annotations

from .atomic import write_atomic, write_files
from .naming import DEFAULT_TEMPLATE, FIELDS, NameTemplate
from .registry import OUTPUTS, get_output, output_for_path
from .spec import OutputSpec, split_formats
from .write import (
    RenderedOutput,
    WrittenFile,
    apply_spec,
    encode,
    render_outputs,
    write_outputs,
)

__all__ = [
    "DEFAULT_TEMPLATE",
    "FIELDS",
    "OUTPUTS",
    "NameTemplate",
    "OutputSpec",
    "RenderedOutput",
    "WrittenFile",
    "apply_spec",
    "encode",
    "get_output",
    "output_for_path",
    "render_outputs",
    "split_formats",
    "write_atomic",
    "write_files",
    "write_outputs",
]
