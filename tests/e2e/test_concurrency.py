"""Eight processes on one dossier at once: nothing lost, nothing doubled, the chain holds."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from tests.e2e import concurrency_worker
from tests.e2e.conftest import Cli

WORKERS = 8
COMMENTS_EACH = 25  # 8 x 25 = 200 other actions
INITIATOR = "t.dejong@voorbeeldstad.nl"
DIRECTOR = "r.bakker@voorbeeldstad.nl"
COMMENTERS = [INITIATOR, "e.vanleeuwen@voorbeeldstad.nl", "h.vandijk@voorbeeldstad.nl"]


def _at_accord(cli: Cli) -> str:
    dossier = cli.json("dossier", "start", "--flow", "collegevoorstel", "--as", INITIATOR,
                       "--title", "Parkeerbeleid 2027", "--field", "onderwerp=Parkeren",
                       "--field", "bedrag=500")["id"]
    for args in (["--as", "e.vanleeuwen@voorbeeldstad.nl", "--action", "advise",
                  "--advice", "positief"],
                 ["--as", "h.vandijk@voorbeeldstad.nl", "--action", "initial"]):
        assert cli("dossier", "act", dossier, *args) == 0
    return str(dossier)


def test_eight_processes_same_approve_and_200_comments(cli: Cli) -> None:
    dossier = _at_accord(cli)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(WORKERS)
        with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
            futures = [
                pool.submit(concurrency_worker.run,
                            (str(cli.data), dossier, w, COMMENTS_EACH, DIRECTOR, COMMENTERS),
                            barrier)
                for w in range(WORKERS)
            ]
            results = [f.result(timeout=240) for f in futures]
    assert sum(r["exhausted"] for r in results) == 0
    shown = cli.json("dossier", "show", dossier)
    types = [line["type"] for line in shown["timeline"]]
    assert types.count("Approved") == 1
    comments = [line["detail"]["text"] for line in shown["timeline"]
                if line["type"] == "CommentAdded"]
    assert sorted(comments) == sorted(f"{w}/{n}" for w in range(WORKERS)
                                      for n in range(COMMENTS_EACH))
    assert [line["seq"] for line in shown["timeline"]] == list(range(1, len(types) + 1))
    assert cli("audit", "verify", "--dossier", dossier) == 0
