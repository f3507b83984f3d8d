"""Checking the audit trail (``python -m datalek audit verify`` and the Audittrail screen): the
keyed hash chain, the signed head marker, the checkpoints outside the database and the stored
state of every incident. Each thing that does not hold is a ``Finding`` with a code, the entry
it starts at, and a Dutch and an English sentence. How the trail is written: ``audit``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from datalek import config
from datalek.accounts import audit_anchor
from datalek.accounts.audit import ANCHOR_ACTION, GENESIS, entry_hash, event_of, keyed_hash
from datalek.store import audit_files, audit_log


@dataclass(frozen=True)
class Finding:
    """One thing that does not hold: a code, the entry it starts at, Dutch and English."""

    kind: str
    seq: int | None
    dutch: str
    english: str

    @property
    def message(self) -> str:
        return f"{self.dutch} ({self.english})"


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    first_broken: int | None = None
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        if self.intact:
            lines = [
                f"Audittrail intact: {self.entries} registraties gecontroleerd "
                f"(audit trail intact: {self.entries} entries verified)."
            ]
        else:
            where = f" at sequence number {self.first_broken}" if self.first_broken else ""
            lines = [f"Audittrail NIET in orde (audit trail broken{where}):"]
            lines += [f"- {finding.message}" for finding in self.findings]
        return "\n".join(lines + [f"Let op: {note}" for note in self.notes])


def _span(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first} tot en met {last}"


def _span_en(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}-{last}"


@dataclass
class _Walk:
    """What one pass over the entries found."""

    total: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    legacy: list[int] = field(default_factory=list)  # SHA-256 entries before the first keyed one
    sealed: bool = False
    keyed: bool = False
    bad: list[tuple[int, bool]] = field(default_factory=list)  # (seq, holds as plain SHA-256)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    states: dict[int, tuple[int, str | None]] = field(default_factory=dict)  # incident -> newest
    off_checkpoint: int | None = None  # the first entry whose hash is not its checkpoint's
    outside: list[tuple[int, int | None, int]] = field(default_factory=list)  # (incident, from, at)


def _walk(rows: Iterator[dict], key: bytes | None, points: audit_anchor.Checkpoints) -> _Walk:
    walk = _Walk()
    prev = GENESIS
    for row in rows:
        seq = row["seq"]
        after_gap = seq != walk.last_seq + 1
        if after_gap:
            walk.gaps.append((walk.last_seq + 1, seq - 1))
        event = event_of(row)
        linked = after_gap or row["prev_hash"] == prev
        plain = row["hash"] == entry_hash(row["prev_hash"], event)
        keyed = key is not None and audit_anchor.same(row["hash"], keyed_hash(key, row["prev_hash"], event))
        good = True
        if keyed and linked:
            if not walk.keyed and walk.legacy:
                detail = json.loads(row["detail"])
                walk.sealed = row["action"] == ANCHOR_ACTION and detail.get("legacy_until") == seq - 1
            walk.keyed = True
        elif plain and linked and not walk.keyed:
            walk.legacy.append(seq)
        elif not (key is None and linked):  # without the key, a linked entry cannot be judged
            walk.bad.append((seq, plain))
            good = False
        if row["object_type"] == "incident" and row["object_id"].isdigit() and row.get("state_hash"):
            incident_id = int(row["object_id"])
            if good and row.get("state_before"):
                walk.outside.append((incident_id, walk.states.get(incident_id, (None,))[0], seq))
            walk.states[incident_id] = (seq, row["state_hash"] if good else None)
        checkpointed = points.at(seq)
        if checkpointed and walk.off_checkpoint is None and checkpointed != audit_anchor.short(row["hash"]):
            walk.off_checkpoint = seq
        prev = row["hash"]
        walk.total += 1
        walk.last_seq, walk.last_hash = seq, row["hash"]
    return walk


def _rewritten(seq: int) -> Finding:
    return Finding(
        "rewritten_chain",
        seq,
        f"Vanaf registratie {seq} is de keten opnieuw berekend zonder de sleutel: de "
        "registraties vanaf daar zijn niet te vertrouwen.",
        f"the chain was recomputed without the key from entry {seq}",
    )


def _chain_findings(walk: _Walk, anchored: bool) -> list[Finding]:
    found = [
        Finding(
            "entry_removed",
            first,
            f"Registratie {_span(first, last)} ontbreekt: weggehaald uit het midden van de audittrail.",
            f"entry {_span_en(first, last)} was removed",
        )
        for first, last in walk.gaps
    ]
    if walk.legacy and not walk.sealed and (anchored or walk.keyed):
        found.append(_rewritten(walk.legacy[0]))
    runs: list[list[tuple[int, bool]]] = []
    for seq, plain in walk.bad:
        if runs and runs[-1][-1][0] == seq - 1:
            runs[-1].append((seq, plain))
        else:
            runs.append([(seq, plain)])
    for run in runs:
        first, last = run[0][0], run[-1][0]
        to_the_end = last == walk.last_seq and len(run) > 1
        if to_the_end or any(plain for _, plain in run):
            found.append(_rewritten(first))
        else:
            found.append(
                Finding(
                    "changed_entry",
                    first,
                    f"Registratie {_span(first, last)} is veranderd nadat die was vastgelegd.",
                    f"entry {_span_en(first, last)} was changed after it was written",
                )
            )
    return found


def _head_findings(walk: _Walk, head: dict | None, key: bytes) -> tuple[list[Finding], bool]:
    """(findings, whether the head marker holds and matches the last entry)."""
    if head is None:
        if walk.keyed:
            return [
                Finding(
                    "head_marker",
                    None,
                    "De markering van de laatste registratie ontbreekt in de database.",
                    "the head marker was removed from the database",
                )
            ], False
        return [], False
    if not audit_anchor.same(head["mac"], audit_anchor.head_mac(key, head["seq"], head["hash"])):
        return [
            Finding(
                "head_marker",
                None,
                "De markering van de laatste registratie in de database is veranderd.",
                "the head marker in the database was changed",
            )
        ], False
    if head["seq"] > walk.last_seq:
        first, last = walk.last_seq + 1, head["seq"]
        return [
            Finding(
                "tail_removed",
                first,
                f"De laatste registraties ({_span(first, last)}) zijn weggehaald.",
                f"entries {_span_en(first, last)} at the end were removed",
            )
        ], False
    return [], head["seq"] == walk.last_seq and head["hash"] == walk.last_hash


def _checkpoint_findings(
    walk: _Walk, points: audit_anchor.Checkpoints, head_holds: bool, earlier: list[Finding], path: Path | None
) -> list[Finding]:
    """What the checkpoints outside the database add to the ``earlier`` findings."""
    where = config.audit_checkpoint_path(path) if path else None
    found = []
    if points.forged or points.damaged:
        found.append(
            Finding(
                "checkpoint_forged",
                None,
                f"{points.forged + points.damaged} regel(s) in het bestand met controlepunten ({where}) "
                "kloppen niet met de sleutel: het bestand is veranderd.",
                "checkpoint lines do not hold under the key: the checkpoint file was changed",
            )
        )
    explained = min((f.seq for f in earlier if f.seq is not None), default=None)
    forks = [seq for seq in (walk.off_checkpoint, points.fork) if seq is not None]
    if forks:
        fork = min(forks)  # the database's history, or the checkpoints', parts from the other
        if explained is None or explained > fork:  # not by a changed, removed or rewritten entry
            found.append(
                Finding(
                    "older_copy",
                    fork,
                    f"Registratie {fork} verschilt van het controlepunt buiten de database: er is "
                    "een oudere kopie van de database teruggezet en daarna verder geschreven.",
                    f"entry {fork} differs from its checkpoint: an older copy was put back and written on",
                )
            )
    if points.last > walk.last_seq and not any(f.kind == "tail_removed" for f in earlier):
        first = walk.last_seq + 1
        if head_holds:
            found.append(
                Finding(
                    "older_copy",
                    first,
                    f"De database is een oudere kopie: het laatste controlepunt buiten de database is "
                    f"registratie {points.last}, de database houdt op bij {walk.last_seq}. Er is een "
                    "oude kopie teruggezet, of de laatste registraties zijn weggehaald.",
                    f"the database is older than its last checkpoint, entry {points.last}",
                )
            )
        else:
            found.append(
                Finding(
                    "tail_removed",
                    first,
                    f"De laatste registraties ({_span(first, points.last)}) zijn weggehaald: het "
                    "controlepunt buiten de database noemt ze nog.",
                    f"entries {_span_en(first, points.last)} at the end were removed",
                )
            )
    return found


def _incident_findings(db: Database, walk: _Walk, entries_lost: bool) -> tuple[list[Finding], int]:
    """(findings, how many incidents have no state in the trail yet). With ``entries_lost``
    a mismatch may also mean that the newer entries about the incident are gone."""
    found = [
        Finding(
            "incident_changed",
            None,
            f"Melding met id {incident_id} is buiten de app om veranderd of verwijderd "
            + (f"tussen registratie {since} en {seq}." if since else f"vóór registratie {seq}."),
            f"incident {incident_id} was changed outside the app before entry {seq}",
        )
        for incident_id, since, seq in walk.outside
    ]
    for incident_id, (seq, stored) in sorted(walk.states.items()):
        version = audit_anchor.state_version(stored) if stored else None
        if version is None or audit_anchor.state_hash(db, incident_id, version) == stored:
            continue
        reference = audit_log.incident_reference(db, incident_id)
        if reference is None:
            found.append(
                Finding(
                    "incident_deleted",
                    None,
                    f"Melding met id {incident_id} is buiten de app om verwijderd "
                    f"(laatste registratie: {seq}).",
                    f"incident {incident_id} was deleted outside the app",
                )
            )
        else:
            found.append(
                Finding(
                    "incident_changed",
                    None,
                    f"Melding {reference} (id {incident_id}) is buiten de app om veranderd na "
                    f"registratie {seq}"
                    + (", of de registraties erover daarna zijn weggehaald." if entries_lost else "."),
                    f"incident {incident_id} was changed outside the app"
                    + (", or later entries about it were removed" if entries_lost else ""),
                )
            )
    uncovered = sum(1 for i in audit_log.incident_ids(db) if i not in walk.states)
    return found, uncovered


def verify(db: Database) -> Verification:
    """Check the chain, its keyed hashes, the head marker, the checkpoints outside the
    database and the state of every incident; name what does not hold."""
    path = audit_files.db_file(db)
    key = audit_files.read_key(path)
    head = audit_log.head(db)
    points = audit_anchor.read_checkpoints(path, key)
    findings: list[Finding] = []
    notes: list[str] = []
    key_state = "ok"
    if key is None:
        key_state = "missing"
    elif (head is not None and head["key_id"] != audit_anchor.key_id(key)) or (
        head is None and not points.valid and points.forged
    ):
        key_state = "wrong"
    usable_key = key if key_state == "ok" else None
    if usable_key is None:
        points = audit_anchor.read_checkpoints(path, None)  # the highest position only, unsigned
    walk = _walk(audit_log.entries(db), usable_key, points)
    anchored = head is not None or points.valid > 0 or points.forged > 0
    if key_state == "missing" and (anchored or walk.bad or (walk.total and len(walk.legacy) < walk.total)):
        findings.append(
            Finding(
                "key_missing",
                None,
                f"De sleutel ontbreekt ({audit_files.key_location(path)}): zonder sleutel is niet te "
                "controleren of registraties zijn veranderd of opnieuw berekend. Zet de sleutel "
                "terug uit de back-up.",
                "the key is missing",
            )
        )
    elif key_state == "wrong":
        findings.append(
            Finding(
                "key_wrong",
                None,
                f"De sleutel ({audit_files.key_location(path)}) hoort niet bij deze audittrail: het "
                "is een andere sleutel dan waarmee de registraties zijn vastgelegd.",
                "the key is not the key this trail was written with",
            )
        )
    findings += _chain_findings(walk, anchored)
    if usable_key is not None:
        head_found, head_holds = _head_findings(walk, head, usable_key)
        findings += head_found
        findings += _checkpoint_findings(walk, points, head_holds, findings, path)
    lost = any(f.kind in ("entry_removed", "tail_removed", "older_copy") for f in findings)
    incident_found, uncovered = _incident_findings(db, walk, lost)
    findings += incident_found

    if walk.legacy and not walk.sealed and not anchored and not walk.keyed:
        notes.append(
            f"de {len(walk.legacy)} registraties van vóór de sleutel zijn nog niet verzegeld; dat "
            "gebeurt bij de eerstvolgende wijziging of met 'python -m datalek init'."
        )
    if walk.total and not points.exists and walk.keyed:
        notes.append(
            "er is nog geen bestand met controlepunten naast de database; weggehaalde laatste "
            "registraties zijn zonder dat bestand alleen aan de markering in de database te zien."
        )
    if uncovered:
        notes.append(
            (
                "1 melding heeft nog geen vastgelegde toestand in de audittrail (bijvoorbeeld "
                "demogegevens); die is niet"
                if uncovered == 1
                else f"{uncovered} meldingen hebben nog geen vastgelegde toestand in de audittrail "
                "(bijvoorbeeld demogegevens); die zijn niet"
            )
            + " op wijzigingen buiten de app gecontroleerd."
        )
    first_broken = min((f.seq for f in findings if f.seq is not None), default=None)
    entries = walk.total if first_broken is None else min(walk.total, first_broken - 1)
    return Verification(not findings, entries, first_broken, tuple(findings), tuple(notes))
