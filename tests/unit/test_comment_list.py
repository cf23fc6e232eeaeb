"""A dossier's document comments as a card gets them: the kept ones, read only as shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from approvals.ports import DocumentComment
from local.documents import FolderDocumentStore
from tests.support.docx_kit import EVI_REMARK, Remark, docx_with_comments
from word.comment_cache import CommentCache, Comments


def remarks(count: int, author: str = "Adviseur") -> tuple[DocumentComment, ...]:
    return tuple(DocumentComment("Eerste naam.docx", f"{author} {n}", "2026-11-23T09:15:00Z",
                                 f"Opmerking {n}.", f"Passage {n}.") for n in range(count))


def test_comments_count_all_documents_and_read_only_what_is_asked() -> None:
    first, second = remarks(3, "Ans"), remarks(2, "Evi")
    comments = Comments([("Nota.docx", first), ("Leeg.docx", ()), ("Bijlage.docx", second)])
    assert len(comments) == 5
    assert [c.author for c in comments] == ["Ans 0", "Ans 1", "Ans 2", "Evi 0", "Evi 1"]
    assert [c.document for c in comments[2:4]] == ["Nota.docx", "Bijlage.docx"]
    assert comments[-1].author == "Evi 1"
    assert comments[:100] == list(comments)
    assert comments[10:] == []
    with pytest.raises(IndexError):
        comments[5]


def test_comments_are_named_after_the_document_they_are_in() -> None:
    kept = remarks(2)
    comments = Comments([("Tweede naam.docx", kept)])
    assert comments == [DocumentComment("Tweede naam.docx", c.author, c.date, c.text, c.passage)
                        for c in kept]
    assert kept[0].document == "Eerste naam.docx"  # the kept ones are not changed
    same = Comments([("Eerste naam.docx", kept)])
    assert same[0] is kept[0]  # nothing copied where the name is the same
    assert Comments() == [] and not Comments()


async def test_store_hands_out_the_kept_comments_without_copying(tmp_path: Path) -> None:
    cache = CommentCache()
    documents = FolderDocumentStore(tmp_path, comment_cache=cache)
    content = docx_with_comments([Remark(f"Alinea {n}.", f"Opmerking {n}.", "Evi", "EW",
                                         EVI_REMARK.date) for n in range(40)])
    stored = await documents.put("2026-A", "Raadsvoorstel.docx", content)
    await documents.put("2026-A", "Kopie.docx", content)  # the same content, another name
    comments = await documents.comments("2026-A")
    kept = cache.kept(stored.sha256)
    assert kept is not None and len(kept) == 40
    assert len(comments) == 80
    assert [c.document for c in comments[39:41]] == ["Kopie.docx", "Raadsvoorstel.docx"]
    assert [c.text for c in comments[:3]] == ["Opmerking 0.", "Opmerking 1.", "Opmerking 2."]
    assert all(a is b for a, b in zip(comments[40:], kept, strict=True))  # not copied
    assert cache.parses == 1


def test_slices_of_comments_are_as_of_a_list() -> None:
    comments = Comments([("A.docx", remarks(4, "A")), ("B.docx", remarks(3, "B"))])
    plain = list(comments)
    for part in (slice(None, 5), slice(2, 6), slice(5, None), slice(None, None, 2),
                 slice(-3, None), slice(None, -2), slice(6, 2), slice(None, None, -1)):
        assert comments[part] == plain[part], part
