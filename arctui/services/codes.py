"""The chart of reason and GL codes a manager keeps in the book; every memo and write-off is
coded from it (``coded``), and the coders' proposals are held to it."""

from collections.abc import Iterable

from arctui.domain.authority import AuthorityError
from arctui.services.context import Context
from arctui.services.errors import InvalidInput
from arctui.services.records import Action, action
from arctui.services.validate import choice, identifier, required
from arctui.store.read import codes as read
from arctui.store.read import team


def add_code(ctx: Context, kind: str, code: str, label: str) -> int:
    """Add ``code`` (a reason or GL code) to the chart; managers only. A retired code of the
    same spelling comes back into use under the new label."""
    with action(ctx, "code.add", "chart_codes") as act:
        _manager(act, "adds codes to the chart")
        code_id = _add(act, "", kind, code, label)
        act.entity_id = code_id
        return code_id


def load_chart(ctx: Context, entries: Iterable[tuple[str, str, str, str]]) -> int:
    """Add every (where, kind, code, label) entry to the chart in one action, all or nothing
    (``where`` names its file and line in a refusal); managers only. A code already in the chart
    under the same label is left as it is, so loading a chart twice changes nothing. Returns how
    many codes were added or brought back."""
    with action(ctx, "code.load", "chart_codes") as act:
        _manager(act, "loads a chart of codes")
        seen: dict[tuple[str, str], str] = {}
        for where, kind, code, label in entries:
            key = (kind, (code or "").strip().casefold())
            if key in seen:
                raise InvalidInput(f"{where}: {read.KINDS.get(kind, kind)}", f"{code} is on {seen[key]} already")
            seen[key] = where
            _add(act, where, kind, code, label, same_label_ok=True)
        return len(act.after)


def _add(act: Action, where: str, kind: str, code: str, label: str, same_label_ok: bool = False) -> int | None:
    """Add one code (see ``add_code``); refusals name ``where`` first when given."""
    prefix = f"{where}: " if where else ""
    choice(f"{prefix}kind", kind, tuple(read.KINDS))
    field = f"{prefix}{read.KINDS[kind]}"
    code = identifier(field, code)
    if not code:
        raise InvalidInput(field, "is required")
    label = required(f"{prefix}label", label)
    found = read.code(act.db, kind, code)
    if found is None:
        return act.insert("chart_codes", {"kind": kind, "code": code, "label": label})
    if found["retired_at"] is None:
        if same_label_ok and found["label"] == label:
            return None
        raise InvalidInput(field, f"{found['code']} is already in the chart ({found['label']})")
    act.update("chart_codes", found["id"], {"label": label, "retired_at": None}, found["version"])
    return found["id"]


def retire_code(ctx: Context, kind: str, code: str) -> None:
    """Take ``code`` out of use; managers only. Memos and write-offs already coded with it keep it."""
    choice("kind", kind, tuple(read.KINDS))
    with action(ctx, "code.retire", "chart_codes") as act:
        _manager(act, "retires codes of the chart")
        found = _active(act.db, kind, code)
        act.entity_id = found["id"]
        act.update("chart_codes", found["id"], {"retired_at": ctx.now()}, found["version"])


def coded(db, reason_code: str, gl_code: str) -> tuple[str, str]:
    """The reason and GL code as the chart spells them; InvalidInput for a code that is not
    an active code of the chart. A book without a chart takes any code, as typed."""
    reason_code, gl_code = required("reason code", reason_code), required("GL code", gl_code)
    if not read.has_chart(db):
        return reason_code, gl_code
    return _active(db, "reason", reason_code)["code"], _active(db, "gl", gl_code)["code"]


def in_chart(db, reason_code: str, gl_code: str) -> bool:
    """Whether a proposed coding is one ``coded`` takes."""
    if not read.has_chart(db):
        return True
    return all(
        (found := read.code(db, kind, value)) is not None and found["retired_at"] is None
        for kind, value in (("reason", reason_code), ("gl", gl_code))
    )


def _active(db, kind: str, code: str) -> dict:
    found = read.code(db, kind, (code or "").strip())
    if found is None or found["retired_at"] is not None:
        state = "is retired" if found else "is not in the chart"
        raise InvalidInput(
            read.KINDS[kind], f"{code} {state}; `arctui codes list` shows the chart's codes (a manager adds them)"
        )
    return found


def _manager(act: Action, what: str) -> None:
    who = team.collector(act.db, act.ctx.user)
    if who is None or not who["active"] or who["role"] != "manager":
        raise AuthorityError(f"{act.ctx.user} is not a manager: only a manager {what}")
