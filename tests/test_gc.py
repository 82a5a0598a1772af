"""The pause of the cyclic collector that reading and appending share."""

import gc

import pytest

from timeline._gc import collection_paused


class Held:
    """An object the collector tracks."""


def _generation_of(item: object) -> int | None:
    for generation in range(3):
        if any(found is item for found in gc.get_objects(generation)):
            return generation
    return None


@pytest.fixture
def collector():
    """The collector on, its state put back afterwards."""
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("kept_old", [True, False])
def test_the_collector_is_left_as_it_was(enabled, kept_old):
    """Paused in the block, on or off afterwards as before, even on an error."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        paused = []

        def fail() -> None:
            paused.append(not gc.isenabled())
            raise KeyError

        with pytest.raises(KeyError), collection_paused(kept_old=kept_old):
            fail()
        assert paused == [True]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector")
def test_what_the_block_keeps_is_counted_old():
    """Kept old, the objects made in the block join the oldest generation."""
    with collection_paused(kept_old=True):
        kept = [Held() for _ in range(3)]
    assert [_generation_of(item) for item in kept] == [2, 2, 2]
    assert gc.get_count()[0] < 700  # the young generation starts afresh


@pytest.mark.usefixtures("collector")
def test_otherwise_it_stays_young():
    """Without kept_old, the block's objects are young, as the collector left them."""
    gc.collect()
    with collection_paused():
        kept = Held()
    assert _generation_of(kept) == 0


@pytest.mark.usefixtures("collector")
def test_a_programs_frozen_objects_stay_frozen():
    """Objects the program froze are not thawed, and the block's stay young."""
    gc.collect()
    frozen = Held()
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        with collection_paused(kept_old=True):
            kept = Held()
        assert gc.get_freeze_count() == count
        assert _generation_of(frozen) is None  # still in the permanent one
        assert _generation_of(kept) == 0
    finally:
        gc.unfreeze()
