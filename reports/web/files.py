"""Downloads of the draft and final workbooks and the «Отправить отчёт» button."""

from __future__ import annotations

import tempfile
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response

from reports import ReportError
from reports.api import PendingRows, file_name, write_draft, write_final
from reports.web.common import Choice, choose, municipality
from reports.web.core import Ctx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(path: Path) -> Response:
    return Response(path.read_bytes(), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{path.name}"'})


WRITERS = {"draft": write_draft, "final": write_final}


def _download(ctx: Ctx, kind: str) -> Response:
    """A workbook of the chosen period; the final one is refused (409, with the list) while
    pre-filled rows are unreviewed."""
    m_id = int(ctx.request.path_params["municipality_id"])
    name = municipality(ctx, m_id)
    choice = choose(ctx)
    with tempfile.TemporaryDirectory(prefix="natmon-") as folder:
        target = Path(folder) / file_name(kind, name, choice.period, "xlsx")
        try:
            return _xlsx(WRITERS[kind](ctx.store, ctx.state.registry, choice.campaign, name, choice.period, target))
        except PendingRows as exc:
            return pending_page(ctx, m_id, name, choice, exc.rows, "download")
        except ReportError as exc:
            raise HTTPException(409, exc.message) from None


def pending_page(ctx: Ctx, m_id: int, name: str, choice: Choice, rows: list[str], action: str) -> Response:
    """The final report refused for unreviewed rows (409). The exception's text tells a command-line
    user what to run; this page says what to click."""
    message = f"{name}, {choice.period.label}: не проверено публикаций: {len(rows)}."
    return ctx.render("pending.html", status=409, nav="municipality", message=message, rows=rows, action=action,
                      back=f"/m/{m_id}?{choice.query()}",
                      posts_link=f"/posts?municipality={m_id}&status=pending&{choice.query()}")


def draft(ctx: Ctx) -> Response:
    return _download(ctx, "draft")


def final(ctx: Ctx) -> Response:
    return _download(ctx, "final")


def send(ctx: Ctx) -> Response:
    """Mail the final report through `reports.mail` (which records the attempt) and say what happened."""
    m_id = int(ctx.request.path_params["municipality_id"])
    name = municipality(ctx, m_id)
    choice = choose(ctx)
    back = f"/m/{m_id}?{choice.query()}"
    try:
        from reports.mail import SendFailed, SendRefused, send_report
    except ImportError:
        ctx.flash("Отправка почтой не настроена в этой версии natmon; скачайте итоговый отчёт и отправьте "
                  "его вручную.", "error")
        return ctx.redirect(back)
    try:
        record = send_report(ctx.store, ctx.state.registry, choice.campaign, name, choice.period, ctx.user.display,
                             resend=False)
    except SendRefused as exc:
        if exc.rows:
            return pending_page(ctx, m_id, name, choice, exc.rows, "send")
        ctx.flash(exc.message, "error")
        return ctx.redirect(back)
    except (SendFailed, ReportError) as exc:
        ctx.flash(exc.message, "error")
        return ctx.redirect(back)
    ctx.flash(f"Отчёт {choice.period.label} отправлен на {record.recipient} (файл {record.file_name}).")
    return ctx.redirect(back)


def sending_state(ctx: Ctx, name: str, choice: Choice) -> dict[str, str] | None:
    """Whether this report was sent (the preview's block), when `reports.mail` is there."""
    try:
        from reports.mail import preview_sending
    except ImportError:
        return None
    try:
        return preview_sending(ctx.store, ctx.state.registry, choice.campaign, name, choice.period,
                               ctx.state.today())
    except ReportError:
        return None


__all__ = ["draft", "final", "send", "sending_state"]
