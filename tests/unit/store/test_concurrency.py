"""Several threads share one unlocked store (kiosk workers + outbox worker)."""

from __future__ import annotations

import threading

from koffer.store import UnlockedStore


def test_parallel_writers_and_readers_do_not_collide(unlocked: UnlockedStore) -> None:
    errors: list[BaseException] = []
    created: list[str] = []
    lock = threading.Lock()

    def writer(tag: int) -> None:
        try:
            for i in range(15):
                case_id = unlocked.create_case("anmeldung", {"t": tag, "i": i}, {"a": b"x" * 2000})
                unlocked.save_case(case_id, {"t": tag, "i": i, "saved": True})
                with lock:
                    created.append(case_id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(30):
                for meta in unlocked.list_cases():
                    assert meta.case_number
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    metas = unlocked.list_cases()
    assert len(metas) == len(created) == 45
    assert len({m.case_number for m in metas}) == 45  # numbering never collides
    assert all(unlocked.load_case(c).payload["saved"] for c in created)
