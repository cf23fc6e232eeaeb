"""Reading comments from .docx bytes: authors, dates, text, the commented passage, and files
that are not (or not quite) Word documents."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from approvals.ports import DocumentComment
from tests.support.docx_kit import ANS_REMARK, EVI_REMARK, TWO_AUTHORS, docx_with_comments
from word.comments import MAX_PASSAGE, is_word_document, read_comments, unreadable

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _rels(*targets: tuple[str, str]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(targets, 1))
    return f'<?xml version="1.0"?><Relationships xmlns="{PKG}">{items}</Relationships>'


def package(body: str, comments: str, **extra: str) -> bytes:
    """A minimal .docx: document body XML, comments XML, and optional extra parts
    (``ids`` for commentsIds.xml, ``extensible`` for commentsExtensible.xml)."""
    links = [(f"{REL}/comments", "comments.xml")]
    if "ids" in extra:
        links.append(("http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                      "commentsIds.xml"))
    if "extensible" in extra:
        links.append(("http://schemas.microsoft.com/office/2018/08/relationships/"
                      "commentsExtensible", "commentsExtensible.xml"))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_rels/.rels", _rels((f"{REL}/officeDocument", "word/document.xml")))
        archive.writestr("word/_rels/document.xml.rels", _rels(*links))
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}" xmlns:mc="{MC}">'
                                              f"<w:body>{body}</w:body></w:document>")
        archive.writestr("word/comments.xml", f'<w:comments xmlns:w="{W}" xmlns:w14="{W14}">'
                                              f"{comments}</w:comments>")
        if "ids" in extra:
            archive.writestr("word/commentsIds.xml", extra["ids"])
        if "extensible" in extra:
            archive.writestr("word/commentsExtensible.xml", extra["extensible"])
    return out.getvalue()


def remark(cid: int, text: str, author: str = "Ans Claes", date: str = "2026-11-23T10:00:00Z",
           para: str = "") -> str:
    para_id = f' w14:paraId="{para}"' if para else ""
    return (f'<w:comment w:id="{cid}" w:author="{author}" w:date="{date}" w:initials="AC">'
            f'<w:p{para_id}><w:r><w:annotationRef/></w:r><w:r><w:t>{text}</w:t></w:r></w:p>'
            f"</w:comment>")


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_comments_by_two_authors_with_their_passages() -> None:
    assert read_comments("Nota.docx", docx_with_comments(TWO_AUTHORS)) == [
        DocumentComment("Nota.docx", r.author, r.date, r.text, r.passage)
        for r in (ANS_REMARK, EVI_REMARK)
    ]


def test_a_passage_may_span_runs_and_paragraphs_and_overlap_another() -> None:
    body = (f'<w:p>{run("Het college ")}<w:commentRangeStart w:id="1"/>{run("besluit ")}'
            f'{run("de tarieven")}<w:r><w:tab/></w:r>{run("te verhogen.")}</w:p>'
            f'<w:p><w:commentRangeStart w:id="2"/>{run("Per 1 januari")}'
            f'<w:commentRangeEnd w:id="1"/>{run(" 2027.")}<w:commentRangeEnd w:id="2"/>'
            f'<w:r><w:commentReference w:id="2"/></w:r></w:p>')
    found = read_comments("a.docx", package(body, remark(2, "Datum?") + remark(1, "Waarom?")))
    assert [(c.text, c.passage) for c in found] == [
        ("Waarom?", "besluit de tarieven te verhogen. Per 1 januari"),
        ("Datum?", "Per 1 januari 2027."),
    ]


def test_comments_come_in_the_order_of_the_document() -> None:
    body = (f'<w:p><w:commentRangeStart w:id="7"/>{run("eerst")}<w:commentRangeEnd w:id="7"/>'
            f'<w:commentRangeStart w:id="3"/>{run("dan")}<w:commentRangeEnd w:id="3"/></w:p>')
    comments = remark(3, "tweede") + remark(7, "eerste") + remark(9, "los, zonder plek")
    found = read_comments("a.docx", package(body, comments))
    assert [(c.text, c.passage) for c in found] == [
        ("eerste", "eerst"), ("tweede", "dan"), ("los, zonder plek", "")]


def test_the_utc_date_of_newer_word_wins_over_its_local_time() -> None:
    cid = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
    cex = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
    ids = (f'<w16cid:commentsIds xmlns:w16cid="{cid}">'
           f'<w16cid:commentId w16cid:paraId="1A2B3C4D" w16cid:durableId="77"/>'
           f"</w16cid:commentsIds>")
    extensible = (f'<w16cex:commentsExtensible xmlns:w16cex="{cex}">'
                  f'<w16cex:commentExtensible w16cex:durableId="77" '
                  f'w16cex:dateUtc="2026-11-23T09:00:00Z"/></w16cex:commentsExtensible>')
    data = package("<w:p/>", remark(0, "Let op", date="2026-11-23T10:00:00Z", para="1A2B3C4D")
                   + remark(1, "Zonder", date="2026-11-24T08:00:00Z"),
                   ids=ids, extensible=extensible)
    assert [c.date for c in read_comments("a.docx", data)] == [
        "2026-11-23T09:00:00Z", "2026-11-24T08:00:00Z"]


def test_a_fallback_copy_of_the_text_is_not_read_twice() -> None:
    box = (f'<mc:AlternateContent><mc:Choice Requires="wps">{run("in het kader")}</mc:Choice>'
           f'<mc:Fallback>{run("in het kader")}</mc:Fallback></mc:AlternateContent>')
    body = f'<w:p><w:commentRangeStart w:id="1"/>{box}<w:commentRangeEnd w:id="1"/></w:p>'
    assert read_comments("a.docx", package(body, remark(1, "x")))[0].passage == "in het kader"


def test_multi_paragraph_comment_text_and_a_long_passage() -> None:
    text = ('<w:comment w:id="1" w:author="Burak Aydin"><w:p><w:r><w:t>Eén</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Twee</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>Drie</w:t></w:r>'
            "</w:p></w:comment>")
    long = "woord " * 1000
    body = f'<w:p><w:commentRangeStart w:id="1"/>{run(long)}<w:commentRangeEnd w:id="1"/></w:p>'
    [found] = read_comments("a.docx", package(body, text))
    assert (found.author, found.date, found.text) == ("Burak Aydin", "", "Eén\nTwee\nDrie")
    assert len(found.passage) == MAX_PASSAGE and found.passage.endswith("…")


def test_a_word_document_without_comments_has_none() -> None:
    assert read_comments("a.docx", package("<w:p/>", "")) == []
    assert read_comments("a.docx", docx_with_comments([])) == []


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04 kapot", b"%PDF-1.7",
    package("<w:p/>", "<w:comment"),  # damaged XML
])
def test_what_is_not_a_word_document_cannot_be_read(data: bytes) -> None:
    assert read_comments("a.docx", data) == [unreadable("a.docx")]


def test_a_document_declaring_entities_is_not_read() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<w:comments xmlns:w="{W}"><w:comment w:id="1" w:author="x"><w:p><w:r>'
            "<w:t>&b;</w:t></w:r></w:p></w:comment></w:comments>")
    data = package("<w:p/>", "")
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = bomb if info.filename == "word/comments.xml" else source.read(info)
            target.writestr(info.filename, content)
    assert read_comments("a.docx", out.getvalue()) == [unreadable("a.docx")]


def test_a_missing_document_part_keeps_the_comments_without_passages() -> None:
    data = package("<w:p/>", remark(1, "Alleen de opmerking"))
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info))
    assert [(c.text, c.passage) for c in read_comments("a.docx", out.getvalue())] == [
        ("Alleen de opmerking", "")]


def test_word_documents_are_known_by_their_extension() -> None:
    assert is_word_document("Nota.DOCX") and is_word_document("macro.docm")
    assert not is_word_document("Nota.doc") and not is_word_document("Nota.pdf")
