"""The outcome of checking an import: counts per action, the new BUMDes it would add, and the
report (every rejected row, every row of a short file, duplicates named with each other)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from products.imports.validation import CREATE, REJECT, UNCHANGED, UPDATE, Row


def duplicate_message(rows: list[int]) -> str:
    return _(
        "The same product (village, BUMDes, product name and HS code) is in rows %(rows)s."
    ) % {"rows": ", ".join(str(r) for r in rows)}


class Outcome:
    """The counts and the report of a check.

    The report keeps every rejected row (up to ``max_problems``) and, for files of at most
    ``max_rows`` rows, every other row too; the counts always cover the whole file.
    """

    def __init__(self, *, max_rows: int, max_problems: int) -> None:
        self.max_rows = max_rows
        self.max_problems = max_problems
        self.rows = 0
        self.counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, REJECT: 0}
        self.suggested = 0
        self.new_bumdes: set[tuple[str, str]] = set()
        self.problems: dict[int, dict] = {}
        self.others: dict[int, dict] = {}
        self._first: dict[tuple, tuple[int, str, tuple | None]] = {}
        self._duplicates: dict[tuple, list[tuple[int, str, tuple | None]]] = {}
        self._bumdes_rows: dict[tuple[str, str], int] = {}

    def add(self, row: Row) -> None:
        self.rows += 1
        new_bumdes = row.bumdes_key if row.bumdes is not None and row.bumdes.id is None else None
        key = row.key
        if key is not None:
            seen = self._first.get(key)
            if seen is None:
                self._first[key] = (row.number, row.action, new_bumdes)
            else:
                group = self._duplicates.setdefault(key, [seen])
                group.append((row.number, row.action, new_bumdes))
        self.counts[row.action] += 1
        if row.action == REJECT:
            self.problems[row.number] = row.entry()
        else:
            if new_bumdes is not None:
                self._bumdes_rows[new_bumdes] = self._bumdes_rows.get(new_bumdes, 0) + 1
            if row.suggested:
                self.suggested += 1
            # Rows with suggestions stay in the report of a long file too: they are accepted
            # row by row.
            if self.rows <= self.max_rows or (
                row.suggested and self.suggested <= self.max_problems
            ):
                self.others[row.number] = row.entry()

    def finish(self) -> None:
        """Report duplicate rows: each of them, naming the others."""
        for key, group in self._duplicates.items():
            numbers = [number for number, _action, _b in group]
            message = duplicate_message(numbers)
            for number, action, new_bumdes in group:
                if action != REJECT:
                    self.counts[action] -= 1
                    self.counts[REJECT] += 1
                    entry = self.others.pop(number, None) or {
                        "row": number,
                        "bumdes_action": "",
                        "village": key[0],
                        "bumdes": key[1],
                        "product": key[2],
                        "hs": key[3],
                    }
                    entry.update(action=REJECT, errors={})
                    entry.pop("changes", None)
                    self.problems[number] = entry
                    if new_bumdes is not None:
                        self._bumdes_rows[new_bumdes] -= 1
                errors = self.problems[number]["errors"]
                errors["nama_produk"] = (
                    f"{errors['nama_produk']} {message}" if "nama_produk" in errors else message
                )
        self.new_bumdes = {key for key, n in self._bumdes_rows.items() if n > 0}
        self._first.clear()

    def report(self) -> list[dict]:
        problems = [self.problems[n] for n in sorted(self.problems)][: self.max_problems]
        return problems + [self.others[n] for n in sorted(self.others)]

    @property
    def complete(self) -> bool:
        return len(self.problems) <= self.max_problems
