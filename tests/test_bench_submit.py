"""The filing benchmark's ratios (bench/submit.py): a kind is compared with the ceiling measured
next to it in time, so a machine that slows down in the middle of a run does not flatter or
blame the kind measured then. The README's figures are these ratios."""

from bench.submit import _interleaved


def test_each_kind_is_compared_with_the_ceilings_measured_just_before_and_after_it():
    # The machine slows down during the run: the ceiling goes 300, 200, 100, 100.
    ceilings = iter([300.0, 200.0, 100.0, 100.0])
    kinds = {"web": 20.0, "post": 60.0, "api": 40.0}
    order = []

    def phase(kind, concurrency, seconds):
        order.append(kind)
        rate = next(ceilings) if kind == "ceiling" else kinds[kind]
        return {"kind": kind, "concurrency": concurrency, "rate": rate}

    rows = _interleaved(phase, 8, 8.0)

    assert order == ["ceiling", "web", "ceiling", "post", "ceiling", "api", "ceiling"]
    ratio = {row["kind"]: row["rate"] / row["ceiling"] for row in rows if row["kind"] != "ceiling"}
    assert ratio == {"web": 20 / 250, "post": 60 / 150, "api": 40 / 100}
    # A ceiling row is shown against the mean of the run's ceilings: its drift.
    assert [row["rate"] / row["ceiling"] for row in rows if row["kind"] == "ceiling"] == [
        300 / 175,
        200 / 175,
        100 / 175,
        100 / 175,
    ]
