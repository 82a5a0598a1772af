import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given

from timeline import Entry, Event
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidDateError,
    InvalidEntryError,
    UnknownEventTypeError,
)
from timeline.model.events import Death, Denial
from timeline.serialization import Codec
from timeline.stores import JsonlStore, open_store

from ..helpers import report
from .contract import FEW, SealedStoreContract, SharedStoreContract, entry_lists
from .entries import (
    MT,
    START,
    TASS,
    Name,
    PaddedCodec,
    ReversedCodec,
    death,
    miscast,
    rekeying_codec,
)

_NAMES = itertools.count()


@pytest.fixture(scope="class", autouse=True)
def _directory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Give each test class a directory of its own for its files."""
    request.cls.directory = tmp_path_factory.mktemp(request.cls.__name__)


def seal(previous: str, record: dict[str, Any]) -> str:
    """Return the hash of *record* after *previous*, computed as the format says."""
    canonical = json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


class TestJsonlStore(SealedStoreContract, SharedStoreContract):
    """Run the store contract against `JsonlStore`."""

    directory: ClassVar[Path]

    def make_store(self):
        """Return a store in a new file."""
        return JsonlStore(self.directory / f"{next(_NAMES)}.jsonl")

    def reopen(self, store):
        """Close the store and open its file again."""
        store.close()
        return JsonlStore(store.path)

    def share(self, store):
        """Open the store's file a second time, as another process would."""
        return JsonlStore(store.path)

    def tamper(self, store, seq):
        """Change the happening id on line *seq*, keeping its hash."""
        lines = store.path.read_bytes().splitlines(keepends=True)
        record = json.loads(lines[seq - 1])
        record["payload"]["event_id"] += " (edited)"
        lines[seq - 1] = json.dumps(record).encode() + b"\n"
        store.path.write_bytes(b"".join(lines))


class TestFormat:
    """The bytes on disk, pinned: stored logs outlive the code."""

    directory: ClassVar[Path]

    def test_one_line_per_entry_sealed_by_the_chain(self):
        """Each line is the canonical envelope, its hash added last."""
        path = self.directory / "golden.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1), death(2, MT)])

        lines = path.read_text(encoding="utf-8").splitlines()

        first = (
            '{"more":1,"payload":{"event_id":"asapov-death","person":"Valery Asapov",'
            '"report":{"outlet":{"name":"TASS"},"published":"2017-09-24"},'
            '"when":"2017-09-24"},"recorded_at":"2026-11-21T09:00:00+00:00",'
            '"schema_version":1,"seq":1,"type":"death","hash":"'
        )
        assert lines[0].startswith(first)
        records = [json.loads(line) for line in lines]
        hashes = [record.pop("hash") for record in records]
        assert hashes[0] == seal("", records[0])
        assert hashes[1] == seal(hashes[0], records[1])
        assert "more" not in records[1]

    def test_a_single_entry_is_the_envelope_and_its_hash(self):
        """An entry appended alone is stored as the codec envelope plus the hash."""
        path = self.directory / "single.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])

        record = json.loads(path.read_bytes())

        assert record.pop("hash") == seal("", record)
        assert record == Codec().entry_to_dict(death(1))

    @FEW
    @given(entries=entry_lists(min_size=1, max_size=5))
    def test_each_line_is_the_sealed_text_and_its_hash(self, entries):
        """A line is the canonical JSON its hash seals, the hash added last."""
        path = self.directory / f"{next(_NAMES)}.jsonl"
        with JsonlStore(path) as store:
            store.append(entries)

        # Split at newlines only: text may hold other line separators.
        lines = path.read_bytes().decode("utf-8").split("\n")[:-1]
        previous = ""
        for index, (line, entry) in enumerate(zip(lines, entries, strict=True)):
            more = len(entries) - 1 - index
            record = Codec().entry_to_dict(entry) | ({"more": more} if more else {})
            text = json.dumps(
                record, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            previous = seal(previous, record)
            assert line == f'{text[:-1]},"hash":"{previous}"}}'

    def test_lines_of_the_first_layout_still_read(self):
        """Lines of the earlier layout (codec key order) read, and take appends."""
        path = self.directory / "earlier-layout.jsonl"
        lines, previous = [], ""
        for entry in [death(1), death(2, MT)]:
            record = Codec().entry_to_dict(entry)
            previous = seal(previous, record)
            lines.append(
                json.dumps(
                    {**record, "hash": previous},
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        assert lines[0].startswith('{"seq":1,"recorded_at":')

        with JsonlStore(path, create=False) as store:
            assert list(store.read()) == [death(1), death(2, MT)]
            store.append([death(3)])
        with JsonlStore(path, create=False) as store:
            assert list(store.read()) == [death(1), death(2, MT), death(3)]

        written = path.read_text(encoding="utf-8").splitlines()
        assert written[:2] == lines
        assert written[2].startswith('{"payload":')

    def test_an_edited_line_of_the_first_layout_is_caught(self):
        """A line of the earlier layout is checked by its canonical JSON."""
        path = self.directory / "edited-earlier.jsonl"
        record = Codec().entry_to_dict(death(1))
        line = json.dumps(
            {**record, "hash": seal("", record)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        edited = line.replace("Valery Asapov", "Valeri Asapov")
        path.write_text(f"{edited}\n", encoding="utf-8")

        self._refuse_open(path, "line 1: hash mismatch")

    def test_a_line_sealing_other_text_than_its_own_is_caught(self):
        """A line whose hash seals a text other than the line is refused."""
        path = self.directory / "resealed.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])
        line = path.read_text(encoding="utf-8")
        # Same record, other spacing: its canonical JSON is still sealed,
        # so it reads; then another value, which no hash seals.
        spaced = line.replace('"seq":1,', '"seq": 1,')
        path.write_text(spaced, encoding="utf-8")
        with JsonlStore(path, create=False) as store:
            assert list(store.read()) == [death(1)]
        path.write_text(spaced.replace('"seq": 1,', '"seq": 1 ,"x":0,'), "utf-8")

        self._refuse_open(path, "line 1: hash mismatch")

    def _refuse_open(self, path, match):
        before = path.read_bytes()
        with pytest.raises(CorruptLogError, match=match):
            JsonlStore(path, create=False)
        assert path.read_bytes() == before

    def test_non_ascii_text_is_stored_as_is(self):
        """Names keep their own letters in the file, for people reading diffs."""
        path = self.directory / "unicode.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1, report("Коммерсантъ", dt.date(2017, 9, 25)))])

        assert "Коммерсантъ" in path.read_text(encoding="utf-8")


class TestLoading:
    """Every load error names the file and the line, and changes nothing."""

    directory: ClassVar[Path]

    def stored(self, name: str, entries: Sequence[Entry] = ()) -> Path:
        """Return the path of a new log file holding *entries*."""
        path = self.directory / f"{name}.jsonl"
        with JsonlStore(path) as store:
            store.append(list(entries))
        return path

    def refuse(self, path: Path, error: type[Exception], match: str) -> None:
        """Assert that opening *path* raises and leaves its bytes alone.

        Read by a codec that refuses unregistered types, which the default
        one keeps as raw claims (tests/test_unregistered.py).
        """
        before = path.read_bytes()

        with pytest.raises(error, match=match):
            JsonlStore(path, codec=Codec(keep_unregistered=False))
        assert path.read_bytes() == before

    def test_a_torn_final_line_names_its_byte_offset(self):
        """An append cut short before its newline is reported where it starts."""
        path = self.stored("torn", [death(1)])
        start = path.stat().st_size
        with path.open("ab") as file:
            file.write(b'{"seq":2,"recorded_at":"2026-11-')

        self.refuse(
            path,
            CorruptLogError,
            rf"torn\.jsonl line 2: torn final line at byte {start}",
        )

    def test_a_line_that_is_not_json(self):
        """A garbled line is named by number and byte offset."""
        path = self.stored("garbled", [death(1)])
        start = path.stat().st_size
        with path.open("ab") as file:
            file.write(b"\n")

        self.refuse(
            path,
            CorruptLogError,
            rf"line 2: not a JSON record \(line starts at byte {start}\)",
        )

    @pytest.mark.parametrize(
        "raw",
        [b"\xff\xfe{}\n", b"NaN\n", b"[" * 100_000 + b"\n"],
        ids=["utf8", "nan", "deep"],
    )
    def test_bytes_that_are_not_a_record(self, raw):
        """Bad encodings, non-standard numbers and absurd nesting are not records."""
        path = self.stored(f"bad-{len(raw)}")
        path.write_bytes(raw)

        self.refuse(path, CorruptLogError, "line 1: not a JSON record")

    def test_a_record_that_is_not_an_object(self):
        """A line holding a JSON array is not a record."""
        path = self.stored("array")
        path.write_bytes(b"[1, 2]\n")

        self.refuse(path, CorruptLogError, "line 1: expected a JSON object, got list")

    def test_a_record_without_its_hash(self):
        """A line written by hand without a hash cannot be trusted."""
        path = self.stored("unsealed", [death(1)])
        record = json.loads(path.read_bytes())
        del record["hash"]
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")

        self.refuse(path, CorruptLogError, "line 1: the record has no hash")

    def test_a_removed_line_breaks_the_chain_after_it(self):
        """Dropping a line is caught at the line that followed it."""
        path = self.stored("removed", [death(1), death(2), death(3)])
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(lines[0] + lines[2])

        self.refuse(path, CorruptLogError, "line 2: hash mismatch")

    @pytest.mark.parametrize("layout", ["canonical", "earlier"])
    @pytest.mark.parametrize(
        ("key", "value", "error", "match"),
        [
            ("seq", 2, CorruptLogError, r"line 1: expected seq 1, found seq 2"),
            ("more", -1, CorruptLogError, r"line 1: 'more' must be a whole number"),
            ("more", True, CorruptLogError, r"line 1: 'more' must be a whole number"),
            (
                "type",
                "plugin_only",
                UnknownEventTypeError,
                r"line 1 \(seq 1\).*'plugin_only'",
            ),
            (
                "recorded_at",
                "2026-11-21T09:00:00",
                InvalidDateError,
                r"line 1 \(seq 1\): recorded_at",
            ),
        ],
    )
    def test_a_resealed_record_that_does_not_read(
        self, layout, key, value, error, match
    ):
        """A line sealed again after an edit is refused by what is wrong with it."""
        path = self.directory / f"resealed-{key}-{value}-{layout}.jsonl"
        source = self.stored(f"source-{key}-{value}-{layout}", [death(1)])
        record = json.loads(source.read_bytes())
        del record["hash"]
        record[key] = value
        digest = seal("", record)
        if layout == "canonical":
            text = json.dumps(
                record, sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            line = f'{text[:-1]},"hash":"{digest}"}}'
        else:
            line = json.dumps({**record, "hash": digest})
        path.write_text(line + "\n", encoding="utf-8")

        self.refuse(path, error, match)

    def test_a_batch_count_that_does_not_count_down(self):
        """A sealed line whose count breaks its batch's is refused."""
        path = self.stored("miscounted", [death(1), death(2), death(3)])
        lines = path.read_text(encoding="utf-8").splitlines()
        second = json.loads(lines[1])
        del second["hash"]
        second["more"] = 5
        previous = json.loads(lines[0])["hash"]
        digest = seal(previous, second)
        text = json.dumps(
            second, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        path.write_text(
            f'{lines[0]}\n{text[:-1]},"hash":"{digest}"}}\n', encoding="utf-8"
        )

        self.refuse(path, CorruptLogError, "line 2: the batch should have 1 more lines")

    def test_a_missing_file_is_created_only_when_asked(self):
        """With create=False a missing file is an error, and none is created."""
        path = self.directory / "missing.jsonl"

        with pytest.raises(FileNotFoundError, match=r"missing\.jsonl"):
            JsonlStore(path, create=False)
        assert not path.exists()

    def test_open_store_picks_jsonl_by_suffix(self):
        """A .jsonl path opens a JsonlStore, whatever the suffix's case."""
        with open_store(self.directory / "picked.JSONL") as store:
            assert isinstance(store, JsonlStore)
            assert repr(store) == f"JsonlStore({str(store.path)!r})"


class TestInterruptedBatches:
    """A batch cut short by a crash is never read as committed."""

    directory: ClassVar[Path]

    def batch(self, name: str) -> tuple[Path, list[bytes]]:
        """Return a file holding one entry, then a batch of three, and its lines."""
        path = self.directory / f"{name}.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])
            store.append([death(2), death(3), death(4)])
        return path, path.read_bytes().splitlines(keepends=True)

    def test_complete_lines_of_an_unfinished_batch(self):
        """Complete lines of a batch without its last are reported from its start."""
        path, lines = self.batch("cut")
        path.write_bytes(b"".join(lines[:3]))

        with pytest.raises(
            CorruptLogError,
            match=(
                rf"line 2: the batch starting there \(byte {len(lines[0])}\) lacks its "
                rf"last 1 line\(s\) after line 3: .* intact up to byte {len(lines[0])}"
            ),
        ):
            JsonlStore(path)

    def test_a_torn_line_inside_a_batch(self):
        """A torn line reports where the log is intact: before its batch."""
        path, lines = self.batch("torn-batch")
        path.write_bytes(b"".join(lines[:3]) + lines[3][:20])

        with pytest.raises(
            CorruptLogError,
            match=rf"line 4: torn .* lines 2 to 4, .* up to byte {len(lines[0])} ",
        ):
            JsonlStore(path)

    @pytest.mark.parametrize(
        ("more", "match"),
        [
            (0, "the batch should have 1 more lines after this one, but .* says 0"),
            (-1, "'more' must be a whole number >= 0, got -1"),
            ("1", "'more' must be a whole number >= 0, got '1'"),
        ],
    )
    def test_a_sealed_but_wrong_count(self, more, match):
        """A count that does not count down is corrupt, even when sealed."""
        path, lines = self.batch(f"count-{more}")
        records = [json.loads(line) for line in lines]
        records[2]["more"] = more
        previous = records[1]["hash"]
        for record in records[2:]:
            del record["hash"]
            record["hash"] = previous = seal(previous, record)
        path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))

        with pytest.raises(CorruptLogError, match=rf"line 3: {match}"):
            JsonlStore(path)


class TestSharing:
    """Two stores, as in two processes, on one file."""

    directory: ClassVar[Path]

    def test_each_sees_the_others_appends(self):
        """Reads and appends first take in what the other wrote."""
        path = self.directory / "shared.jsonl"
        with JsonlStore(path) as first, JsonlStore(path) as second:
            first.append([death(1)])
            second.append([death(2)])

            assert [entry.seq for entry in first.read()] == [1, 2]
            assert len(first) == 2
            first.append([death(3)])
            assert [entry.seq for entry in second.read()] == [1, 2, 3]

    def test_a_stale_append_is_refused(self):
        """Appending with seqs another writer already used raises, writing nothing."""
        path = self.directory / "stale.jsonl"
        with JsonlStore(path) as first, JsonlStore(path) as second:
            first.append([death(1)])
            size = path.stat().st_size

            with pytest.raises(ConcurrencyError, match="ends at seq 1"):
                second.append([death(1, MT)])
            assert path.stat().st_size == size

    def test_garbage_appended_by_another_writer_is_reported(self):
        """A store notices corruption that appears after it opened."""
        path = self.directory / "later.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])
            with path.open("ab") as file:
                file.write(b"oops\n")

            with pytest.raises(CorruptLogError, match="line 2: not a JSON record"):
                store.read()
            with pytest.raises(CorruptLogError, match="line 2"):
                store.append([death(2)])

    def test_a_file_cut_while_open_is_reported(self):
        """Something truncating the file under an open store is caught."""
        path = self.directory / "cut.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])
            os.truncate(path, 10)

            with pytest.raises(CorruptLogError, match=r"shrank from .* to 10 bytes"):
                len(store)


class TestWriting:
    """What reaches the disk, and what does not."""

    directory: ClassVar[Path]

    def test_a_failed_write_leaves_the_file_as_it_was(self, monkeypatch):
        """If syncing fails, the lines just written are cut off again."""
        path = self.directory / "fsync.jsonl"
        with JsonlStore(path) as store:
            store.append([death(1)])
            before = path.read_bytes()

            def broken_fsync(fd):
                raise OSError(5, "Input/output error")

            with monkeypatch.context() as patch:
                patch.setattr(os, "fsync", broken_fsync)
                with pytest.raises(OSError, match="Input/output"):
                    store.append([death(2), death(3)])

            assert path.read_bytes() == before
            store.append([death(2)])
            assert [entry.seq for entry in JsonlStore(path, create=False).read()] == [
                1,
                2,
            ]

    def test_an_entry_that_would_not_read_back_is_refused(self):
        """A round trip is checked before writing: one bad entry cannot brick a log."""
        path = self.directory / "roundtrip.jsonl"
        bad = miscast(42)
        with JsonlStore(path) as store:
            with pytest.raises(
                InvalidEntryError, match="entry seq 1 would not read back"
            ):
                store.append([Entry(1, START, bad)])

            assert path.read_bytes() == b""

    def test_text_that_is_not_unicode_is_refused(self):
        """A lone surrogate cannot be written as UTF-8, so the entry is refused."""
        path = self.directory / "surrogate.jsonl"
        event = Death(event_id="x", report=TASS, person="\ud800")
        with (
            JsonlStore(path) as store,
            pytest.raises(InvalidEntryError, match="would not read back: 'utf-8'"),
        ):
            store.append([Entry(1, START, event)])

    def test_an_entry_that_reads_back_differently_is_refused(self):
        """An entry of an unregistered class would read back as another class."""

        class Unregistered(Death):
            pass

        event = Unregistered(event_id="x", report=TASS, person="y")
        path = self.directory / "unregistered.jsonl"
        with (
            JsonlStore(path) as store,
            pytest.raises(InvalidEntryError, match="would read back as"),
        ):
            store.append([Entry(1, START, event)])

    def test_an_entry_of_an_abstract_type_is_refused(self):
        """An entry whose tag no class claims would make the log unreadable."""

        @attrs.frozen(kw_only=True)
        class Abstract(Event):
            event_type: ClassVar[str] = "_test_abstract"

        event = Abstract(event_id="x", report=TASS)
        path = self.directory / "abstract.jsonl"
        with (
            JsonlStore(path) as store,
            pytest.raises(InvalidEntryError, match="unknown event type"),
        ):
            store.append([Entry(1, START, event)])

    def test_nan_is_refused(self):
        """NaN would be written as a constant no reader of the log accepts."""
        path = self.directory / "nan.jsonl"
        event = miscast(float("nan"))
        with JsonlStore(path) as store:
            store.append([death(1)])
            before = path.read_bytes()
            with pytest.raises(
                InvalidEntryError, match="seq 2 would not read back: NaN"
            ):
                store.append([Entry(2, START, event)])

        assert path.read_bytes() == before

    def test_json_that_reads_back_as_other_json_is_refused(self):
        """An entry whose hash a reader could not recompute would brick the log."""
        path = self.directory / "rekeyed.jsonl"
        with (
            JsonlStore(path, codec=rekeying_codec()) as store,
            pytest.raises(InvalidEntryError, match="reads back as other JSON"),
        ):
            store.append([death(1)])

        with JsonlStore(path, create=False, codec=rekeying_codec()) as store:
            assert list(store.read()) == []

    def test_an_envelope_in_another_order_is_stored_in_canonical_order(self):
        """Whatever a codec's key order, a line is its record's canonical JSON."""
        path = self.directory / "reversed.jsonl"
        with JsonlStore(path, codec=ReversedCodec()) as store:
            store.append([death(1), death(2)])

        lines = path.read_text(encoding="utf-8").splitlines()
        first = json.loads(lines[0])
        assert list(first) == [
            *sorted(["more", *Codec().entry_to_dict(death(1))]),
            "hash",
        ]
        sealed = json.dumps(
            {key: first[key] for key in sorted(first) if key != "hash"},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert lines[0] == f'{sealed[:-1]},"hash":"{first["hash"]}"}}'
        with JsonlStore(path, create=False) as store:
            assert list(store.read()) == [death(1), death(2)]

    @pytest.mark.parametrize("key", ["more", "hash"])
    def test_an_envelope_with_a_key_of_the_stores_is_refused(self, key):
        """A codec may not write the keys the store adds to every line."""
        path = self.directory / f"padded-{key}.jsonl"
        with (
            JsonlStore(path, codec=PaddedCodec(**{key: 0})) as store,
            pytest.raises(InvalidEntryError, match="holds a key the store adds"),
        ):
            store.append([death(1)])

        assert path.read_bytes() == b""

    def test_a_value_json_reads_back_as_its_equal_is_stored(self):
        """A string of a subclass is stored as the plain string it equals."""
        path = self.directory / "subclass.jsonl"
        event = Death(event_id="x", report=TASS, person=Name("Valery Asapov"))
        with JsonlStore(path) as store:
            store.append([death(1), Entry(2, START, event)])

        with JsonlStore(path, create=False) as store:
            assert [entry.event for entry in store.read()] == [death(1).event, event]

    def test_a_denial_of_nothing_is_stored(self):
        """The store does not judge references between claims: the log does."""
        path = self.directory / "dangling.jsonl"
        denial = Denial(event_id="capture", report=MT, denied_by="Russian MoD")
        with JsonlStore(path) as store:
            store.append([Entry(1, START, denial)])

            assert len(store) == 1
