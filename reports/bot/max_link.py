"""How a coordinator links MAX: they write to the region's bot, the operator learns their MAX id.

As in Telegram, where the bot answers an unknown chat with its number, the MAX bot answers
each person who pressed «Начать» or wrote to it with their MAX user id, and `natmon users
max-ids` lists them for the operator, proposing the `natmon users messenger` command when the
text names a login. Nothing is linked automatically: the operator decides. The updates'
`marker` is kept in `state`, so each run shows who wrote since the last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.store import Store
from reports.bot.client import BotError
from reports.bot.max_client import MaxClient
from reports.bot.max_updates import UPDATE_TYPES, MaxSender, parse_senders
from reports.users import MAX, User, list_users

MARKER_KEY = "max:updates_marker"
REPLY_NEW = ("Здравствуйте! Ваш ID в MAX: {id}. Чтобы получать здесь уведомления natmon, передайте этот номер "
             "оператору регионального центра (или напишите сюда свой логин natmon — оператор увидит его).")
REPLY_LINKED = "Ваш ID в MAX ({id}) уже указан в natmon у пользователя {login}; {where}."


@dataclass(slots=True, frozen=True)
class SenderLine:
    sender: MaxSender
    linked: User | None  # the user who already has this MAX id
    proposed: User | None  # the user whose login the text names
    reply_problem: str = ""


def _named_login(text: str, users: list[User]) -> User | None:
    words = {word.casefold() for word in re.findall(r"[\w.@-]+", text)}
    return next((user for user in users if user.login.casefold() in words and not user.disabled), None)


async def read_senders(store: Store, client: MaxClient, *, reply: bool = True) -> list[SenderLine]:
    """Who wrote to the bot since the last run, each answered with their id (unless `reply` is off)."""
    answer = await client.get_updates(store.get_state(MARKER_KEY), UPDATE_TYPES)
    senders, marker = parse_senders(answer)
    users = list_users(store)
    lines = []
    for sender in senders:
        linked = next((user for user in users if user.max_user_id == sender.user_id), None)
        proposed = None if linked else _named_login(sender.text, users)
        problem = ""
        if reply:
            text = REPLY_NEW.format(id=sender.user_id) if linked is None else REPLY_LINKED.format(
                id=sender.user_id, login=linked.login,
                where="уведомления приходят сюда" if linked.notify_via == MAX else "уведомления сейчас идут в Telegram")
            try:
                await client.send_message(sender.user_id, text)
            except BotError as exc:
                if exc.fatal:
                    raise
                problem = exc.message
        lines.append(SenderLine(sender, linked, proposed, problem))
    if marker is not None:
        store.set_state(MARKER_KEY, marker)
    return lines


def render(line: SenderLine) -> str:
    """One Russian line for the operator."""
    sender = line.sender
    wrote = f"«{sender.text}»" if sender.text else "нажал(а) «Начать»"
    text = f"ID {sender.user_id} · {sender.name or 'без имени'} · {wrote}"
    if line.linked is not None:
        text += f" — уже указан у {line.linked.login}"
    elif line.proposed is not None:
        text += f" → natmon users messenger {line.proposed.login} --via max --max-user {sender.user_id}"
    if line.reply_problem:
        text += f" (ответ не доставлен: {line.reply_problem})"
    return text


__all__ = ["read_senders", "render", "SenderLine", "MARKER_KEY", "REPLY_NEW"]
