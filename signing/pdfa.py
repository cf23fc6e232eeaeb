"""A partial, structural check of PDF/A-2b (ISO 19005-2, level B) on a PDF's final revision.

This is NOT a PDF/A validator: veraPDF (the reference validator, Java) is not part of the
project's set-up, and no validator that installs offline from the package index was found.
What is checked is what can be read from the PDF's structure with pyHanko's reader, the
rules a signature's incremental updates could break or that LibreOffice's export could miss:

- the file is not encrypted, and its trailer has an ``/ID``;
- the catalog's XMP metadata says ``pdfaid:part`` 2 and ``pdfaid:conformance`` B;
- an output intent ``/GTS_PDFA1`` with an embedded ICC profile (``/DestOutputProfile``);
- every font used on a page, in a form XObject or in an annotation's appearance (the
  visible signature's stamp among them) is embedded (Type 3 fonts are their own glyphs);
- no JavaScript (no ``/JavaScript`` name tree, no ``/JS`` action, no additional actions on
  the catalog or the pages) and no forbidden actions (Launch, Sound, Movie, ImportData,
  ResetForm, Hide, SetOCGState, Rendition, Trans, GoTo3DView);
- annotations are printed and not hidden (``/F`` flags), and have an appearance (``/AP``)
  unless they are popups or of zero size; the form does not ask for ``/NeedAppearances``;
- no LZW compression, and blend modes in the extended graphics states are the standard ones.

Not checked, among much else: colour spaces against the output intent, the content streams'
operators, font programs against their widths and encodings, the XMP's schemas, file
embedding rules, and transparency beyond the blend modes. A PDF that passes is structurally
plausible PDF/A-2b; only a validator such as veraPDF can say it conforms.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

_FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ImportData", "/ResetForm", "/Hide",
                      "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript"}
_BLEND_MODES = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken",
                "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight",
                "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color", "/Luminosity"}
_PRINT, _HIDDEN, _INVISIBLE, _NOVIEW = 4, 2, 1, 32


def pdfa_2b_problems(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from being PDF/A-2b, as far as this partial check sees (in
    English, one line each); empty: no problem found."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as error:
        return [f"not a readable PDF: {error}"]
    problems: list[str] = []
    if reader.encrypted or "/Encrypt" in reader.trailer:
        problems.append("the file is encrypted")
    if "/ID" not in reader.trailer:
        problems.append("the trailer has no /ID")
    root = reader.root
    problems += _metadata_problems(root)
    problems += _output_intent_problems(root)
    walk = _Walk()
    walk.document(root)
    return problems + walk.problems


def _get(dictionary: Any, key: str) -> Any:
    value = dictionary.get(key) if isinstance(dictionary, generic.DictionaryObject) else None
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _metadata_problems(root: generic.DictionaryObject) -> list[str]:
    metadata = _get(root, "/Metadata")
    if not isinstance(metadata, generic.StreamObject):
        return ["the catalog has no XMP metadata stream"]
    xmp = metadata.data.decode("utf-8", "replace")
    problems = []
    for name, wanted in (("part", "2"), ("conformance", "B")):
        found = re.search(rf'pdfaid:{name}\s*=\s*["\']([^"\']*)["\']', xmp) or \
            re.search(rf"<pdfaid:{name}>\s*([^<]*?)\s*</pdfaid:{name}>", xmp)
        if found is None:
            problems.append(f"the XMP metadata has no pdfaid:{name}")
        elif found.group(1).strip().upper() != wanted:
            problems.append(f"the XMP metadata says pdfaid:{name}={found.group(1)!r}, "
                            f"not {wanted!r}")
    return problems


def _output_intent_problems(root: generic.DictionaryObject) -> list[str]:
    intents = _get(root, "/OutputIntents")
    for intent in intents if isinstance(intents, generic.ArrayObject) else []:
        intent = intent.get_object()
        if _get(intent, "/S") == "/GTS_PDFA1":
            profile = _get(intent, "/DestOutputProfile")
            if not isinstance(profile, generic.StreamObject) or not profile.data:
                return ["the PDF/A output intent has no embedded ICC profile"]
            return []
    return ["there is no PDF/A output intent (/GTS_PDFA1)"]


class _Walk:
    """Pages, their resources, form XObjects and annotations, each object once."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._seen: set[int] = set()
        self._fonts: set[str] = set()

    def _once(self, value: Any) -> bool:
        key = id(value)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def document(self, root: generic.DictionaryObject) -> None:
        names = _get(root, "/Names")
        if isinstance(names, generic.DictionaryObject) and "/JavaScript" in names:
            self.problems.append("the document has JavaScript (/Names /JavaScript)")
        if "/AA" in root:
            self.problems.append("the catalog has additional actions (/AA)")
        self._action(_get(root, "/OpenAction"), "the open action")
        form = _get(root, "/AcroForm")
        if isinstance(form, generic.DictionaryObject) and _get(form, "/NeedAppearances"):
            self.problems.append("the form asks for /NeedAppearances")
        for number, page in enumerate(self._pages(_get(root, "/Pages")), start=1):
            where = f"page {number}"
            if "/AA" in page:
                self.problems.append(f"{where} has additional actions (/AA)")
            self._resources(_get(page, "/Resources"), where)
            annotations = _get(page, "/Annots")
            for annotation in annotations if isinstance(annotations, generic.ArrayObject) \
                    else []:
                self._annotation(annotation.get_object(), where)

    def _pages(self, node: Any) -> Iterator[generic.DictionaryObject]:
        if not isinstance(node, generic.DictionaryObject) or not self._once(node):
            return
        if _get(node, "/Type") == "/Page" or "/Kids" not in node:
            yield node
            return
        for kid in _get(node, "/Kids") or []:
            yield from self._pages(kid.get_object())

    def _action(self, action: Any, where: str) -> None:
        if not isinstance(action, generic.DictionaryObject):
            return
        kind = _get(action, "/S")
        if kind in _FORBIDDEN_ACTIONS or "/JS" in action:
            self.problems.append(f"{where} has a forbidden action ({kind})")
        following = _get(action, "/Next")
        for step in following if isinstance(following, generic.ArrayObject) else [following]:
            self._action(step.get_object() if step is not None else None, where)

    def _annotation(self, annotation: Any, where: str) -> None:
        if not isinstance(annotation, generic.DictionaryObject):
            return
        subtype = _get(annotation, "/Subtype")
        self._action(_get(annotation, "/A"), f"an annotation on {where}")
        if "/AA" in annotation:
            self.problems.append(f"an annotation on {where} has additional actions (/AA)")
        flags = int(_get(annotation, "/F") or 0)
        if subtype != "/Popup" and (not flags & _PRINT or flags & (_HIDDEN | _INVISIBLE
                                                                 | _NOVIEW)):
            self.problems.append(f"a {subtype} annotation on {where} is not printed or "
                                 f"is hidden (/F {flags})")
        appearance = _get(annotation, "/AP")
        rect = _get(annotation, "/Rect")
        sized = isinstance(rect, generic.ArrayObject) and len(rect) == 4 and \
            float(rect[0]) != float(rect[2]) and float(rect[1]) != float(rect[3])
        if subtype != "/Popup" and sized and not isinstance(appearance,
                                                            generic.DictionaryObject):
            self.problems.append(f"a {subtype} annotation on {where} has no appearance")
        if isinstance(appearance, generic.DictionaryObject):
            for key in ("/N", "/R", "/D"):
                entry = _get(appearance, key)
                streams = [entry] if isinstance(entry, generic.StreamObject) else \
                    [v.get_object() for v in entry.values()] \
                    if isinstance(entry, generic.DictionaryObject) else []
                for stream in streams:
                    if isinstance(stream, generic.StreamObject):
                        self._form(stream, f"an annotation's appearance on {where}")

    def _form(self, stream: generic.StreamObject, where: str) -> None:
        if not self._once(stream):
            return
        self._filters(stream, where)
        self._resources(_get(stream, "/Resources"), where)

    def _filters(self, stream: generic.StreamObject, where: str) -> None:
        filters = _get(stream, "/Filter")
        names = list(filters) if isinstance(filters, generic.ArrayObject) else [filters]
        if "/LZWDecode" in names:
            self.problems.append(f"a stream in {where} is LZW-compressed")

    def _resources(self, resources: Any, where: str) -> None:
        if not isinstance(resources, generic.DictionaryObject) or not self._once(resources):
            return
        fonts = _get(resources, "/Font")
        for font in fonts.values() if isinstance(fonts, generic.DictionaryObject) else []:
            self._font(font.get_object(), where)
        states = _get(resources, "/ExtGState")
        for state in states.values() if isinstance(states, generic.DictionaryObject) else []:
            mode = _get(state.get_object(), "/BM")
            modes = list(mode) if isinstance(mode, generic.ArrayObject) else [mode]
            for one in modes:
                if one is not None and one not in _BLEND_MODES:
                    self.problems.append(f"{where} uses blend mode {one}")
        objects = _get(resources, "/XObject")
        for xobject in objects.values() if isinstance(objects, generic.DictionaryObject) \
                else []:
            xobject = xobject.get_object()
            if isinstance(xobject, generic.StreamObject):
                if _get(xobject, "/Subtype") == "/Form":
                    self._form(xobject, where)
                else:
                    self._filters(xobject, where)

    def _font(self, font: Any, where: str) -> None:
        if not isinstance(font, generic.DictionaryObject) or not self._once(font):
            return
        subtype = _get(font, "/Subtype")
        if subtype == "/Type3":
            self._resources(_get(font, "/Resources"), where)
            return
        if subtype == "/Type0":
            for descendant in _get(font, "/DescendantFonts") or []:
                self._font(descendant.get_object(), where)
            return
        descriptor = _get(font, "/FontDescriptor")
        embedded = isinstance(descriptor, generic.DictionaryObject) and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        name = str(_get(font, "/BaseFont") or "?")
        if not embedded and name not in self._fonts:
            self._fonts.add(name)
            self.problems.append(f"font {name} used in {where} is not embedded")
