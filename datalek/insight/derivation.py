"""Which hidden counts the shown ones give back: the audit behind ``disclosure.protect``.

Every published count is a sum of atoms: per part, the counts of one block's keys
(``disclosure.Block``), which add up to the block's population (an identity). A hidden count is
*determined* when its row lies in the span of the shown rows and the identities.

Blocks meet only in their populations: the *interface* (the parts' reports, breaches, late
notifications, measures). What the shown counts of all blocks together say about the
interface is the sum, over the blocks, of each block's span restricted to the interface: a
row that mixes two blocks must cancel each block's own atoms separately. So each block is
reduced once (an SVD of its shown rows, and of their own atoms for the interface part), and
each hidden count is checked against its block plus the interface knowledge that lies on its
block's columns. Exact up to rounding (``TOL``); ``tests/test_disclosure_derivation.py`` checks
the result over the whole lattice with a plain SVD.
"""

from __future__ import annotations

import ctypes
import functools
from collections import defaultdict
from pathlib import Path

import numpy as np

#: Relative tolerance of the rank tests (the matrices hold small whole numbers).
TOL = 1e-8


@functools.cache
def _blas_threads_local():
    """OpenBLAS's per-thread thread count setter, when numpy carries OpenBLAS (else None)."""
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for lib in sorted(libs.glob("*openblas*.so*")):
        try:
            return ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
    return None


def one_blas_thread() -> None:
    """Let this thread's linear algebra run on one core: the audit's matrices are small, and
    on a busy server OpenBLAS's own threads made one audit 10 to 15 times slower (measured:
    20 s instead of 1.4 s with two cores under load; ``docs/benchmarks.md``)."""
    setter = _blas_threads_local()
    if setter is not None:
        setter(1)


def basis(rows: np.ndarray) -> np.ndarray:
    """An orthonormal basis (as rows) of the span of ``rows``."""
    if rows.shape[0] == 0 or rows.shape[1] == 0:
        return rows[:0]
    _, s, vt = np.linalg.svd(rows, full_matrices=False)
    return vt[: int((s > TOL * max(1.0, s[0])).sum())]


def left_null(rows: np.ndarray) -> np.ndarray:
    """Coefficient vectors (as rows) c with c @ rows == 0."""
    if rows.shape[1] == 0:
        return np.eye(rows.shape[0])
    u, s, _ = np.linalg.svd(rows, full_matrices=True)
    rank = int((s > TOL * max(1.0, s[0] if s.size else 1.0)).sum())
    return u[:, rank:].T


def residual(rows: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``rows`` minus their projection on the span of the orthonormal ``base``."""
    return rows - (rows @ base.T) @ base if base.shape[0] else rows


class Audit:
    """The lattice of one account's year, ready to audit any choice of hidden queries."""

    def __init__(self, blocks: dict, parts: list, queries: list):
        one_blas_thread()
        self.blocks = blocks
        self.queries: dict[str, list] = defaultdict(list)
        for q in queries:
            self.queries[q.block].append(q)
        interface: set[tuple] = set()
        self.columns: dict[str, dict[tuple, int]] = {}
        for name, block in blocks.items():
            cols = [(name, p, k) for p in parts for k in block.keys]
            if block.population and block.closed:
                pb, pkeys = block.population
                pop = [(pb, p, k) for p in parts for k in pkeys]
                interface |= set(pop)
                cols += pop
            self.columns[name] = {v: i for i, v in enumerate(cols)}
        self.interface = {v: i for i, v in enumerate(sorted(interface))}
        self.rows: dict[str, np.ndarray] = {}
        self.identities: dict[str, np.ndarray] = {}
        for name in self.queries:
            self.rows[name] = np.array([self._row(q) for q in self.queries[name]])
            self.identities[name] = self._identities(name, parts)
        self._reduced: dict[tuple, tuple] = {}

    def _row(self, q) -> np.ndarray:
        cols = self.columns[q.block]
        row = np.zeros(len(cols))
        for p in q.parts:
            for k in q.keys:
                row[cols[(q.block, p, k)]] = 1
        return row

    def _identities(self, name: str, parts: list) -> np.ndarray:
        block, cols = self.blocks[name], self.columns[name]
        rows = np.zeros((0, len(cols)))
        if block.population and block.closed:
            pb, pkeys = block.population
            rows = np.zeros((len(parts), len(cols)))
            for r, p in enumerate(parts):
                for k in block.keys:
                    rows[r, cols[(name, p, k)]] = 1
                for k in pkeys:
                    rows[r, cols[(pb, p, k)]] -= 1
        return rows

    def _reduce(self, name: str, hidden: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A block's basis over the columns whose value is not known on its own, those
        columns, and the block's span restricted to the interface (interface columns).

        A shown count of one atom (a department's bar) fixes that atom: it is taken out of
        every row, and so is each atom a row fixes once the others are out (an organisation's
        bar minus its departments' bars). The span is the same; the matrices get small."""
        key = (name, hidden)
        if key not in self._reduced:
            shown = np.array([not h for h in hidden], dtype=bool)
            rows = np.vstack([self.rows[name][shown], self.identities[name]])
            cols = self.columns[name]
            inside = np.array([v in self.interface for v in cols], dtype=bool)
            keep = np.ones(len(cols), dtype=bool)
            while rows.shape[0]:
                live = rows[:, keep] != 0
                single = (live.sum(axis=1) == 1) & ~(rows[:, inside & keep] != 0).any(axis=1)
                if not single.any():
                    break
                fixed = np.flatnonzero(keep)[live[single].argmax(axis=1)]
                keep[fixed] = False
                rows = rows[~single]
            base = basis(rows[:, keep])
            kept = [v for v, k in zip(cols, keep, strict=True) if k]
            known = np.zeros((0, len(self.interface)))
            if inside.any() and base.shape[0]:
                coefficients = left_null(base[:, np.flatnonzero(~inside[keep])])
                known = np.zeros((coefficients.shape[0], len(self.interface)))
                for i, v in enumerate(kept):
                    if v in self.interface:
                        known[:, self.interface[v]] = coefficients @ base[:, i]
            self._reduced[key] = (base, keep, known)
        return self._reduced[key]

    def determined(self, hidden: set) -> list:
        """The hidden queries whose value follows from the shown ones."""
        masks = {b: tuple(q in hidden for q in qs) for b, qs in self.queries.items()}
        state = {b: self._reduce(b, masks[b]) for b in self.queries}
        width = len(self.interface)
        knowledge = basis(np.vstack([k for _, _, k in state.values()] + [np.zeros((0, width))]))
        restricted: dict[tuple, np.ndarray] = {}
        found = []
        for name, queries in self.queries.items():
            mask = np.array(masks[name], dtype=bool)
            if not mask.any():
                continue
            base, keep, _ = state[name]
            cols = [v for v, k in zip(self.columns[name], keep, strict=True) if k]
            mine = tuple(sorted(self.interface[v] for v in cols if v in self.interface))
            if mine not in restricted:
                restricted[mine] = self._restrict(knowledge, mine)
            extra = np.zeros((restricted[mine].shape[0], len(cols)))
            for i, v in enumerate(cols):
                if v in self.interface:
                    extra[:, i] = restricted[mine][:, mine.index(self.interface[v])]
            extra = basis(residual(extra, base))
            secret = self.rows[name][mask][:, keep]
            rest = residual(residual(secret, base), extra)
            size = np.maximum(1.0, np.linalg.norm(self.rows[name][mask], axis=1))
            for q, gone in zip(
                [q for q, m in zip(queries, mask, strict=True) if m],
                np.linalg.norm(rest, axis=1) <= 1e-6 * size,
                strict=True,
            ):
                if gone:
                    found.append(q)
        return found

    def _restrict(self, knowledge: np.ndarray, mine: tuple) -> np.ndarray:
        """What is known about the interface and lies on the columns ``mine`` only."""
        if not mine or knowledge.shape[0] == 0:
            return np.zeros((0, len(mine)))
        others = [j for j in range(len(self.interface)) if j not in set(mine)]
        coefficients = left_null(knowledge[:, others]) if others else np.eye(knowledge.shape[0])
        return coefficients @ knowledge[:, list(mine)]

    def derivation(self, query, hidden: set) -> list:
        """Shown queries of the same block that take part in recomputing ``query``."""
        shown = [q for q in self.queries[query.block] if q not in hidden]
        if not shown:
            return []
        rows = np.vstack([np.array([self._row(q) for q in shown]), self.identities[query.block]])
        weights = np.linalg.lstsq(rows.T, self._row(query), rcond=None)[0]
        return [q for q, w in zip(shown, weights, strict=False) if abs(w) > 1e-6]
