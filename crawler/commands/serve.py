"""`natmon serve`: the web app (uvicorn) for coordinators and the regional centre."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Mapping

import typer
from starlette.applications import Starlette

from crawler.registry import SourcesError, load
from crawler.settings import DEFAULT_DB, DEFAULT_SOURCES
from crawler.store import Store, StoreError

SECRET_ENV = "NATMON_SECRET_KEY"
PROXIES_ENV = "NATMON_TRUSTED_PROXIES"
MIN_SECRET = 16
EXIT_BAD_INPUT = 2
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

Sources = Annotated[str, typer.Option("--sources", envvar="NATMON_SOURCES", help="Реестр источников (sources.yaml).")]
Db = Annotated[str, typer.Option("--db", envvar="NATMON_DB", help="Хранилище: путь к SQLite или URL.")]


class ServeError(Exception):
    """The web app cannot start; the message is Russian."""


def secret_key(environ: Mapping[str, str], dev: bool) -> str:
    """The session-signing key from NATMON_SECRET_KEY; a throwaway one only with --dev."""
    key = environ.get(SECRET_ENV, "").strip()
    if key:
        if len(key) < MIN_SECRET:
            raise ServeError(f"{SECRET_ENV} слишком короткий (нужно не меньше {MIN_SECRET} символов). Создайте "
                             "ключ: python3 -c \"import secrets; print(secrets.token_urlsafe(32))\"")
        return key
    if dev:
        return secrets.token_urlsafe(32)
    raise ServeError(f"Не задана переменная окружения {SECRET_ENV} (ключ подписи сессий). Создайте ключ: "
                     "python3 -c \"import secrets; print(secrets.token_urlsafe(32))\" и запишите его в "
                     f"{SECRET_ENV}; для пробного запуска на своём компьютере добавьте --dev.")


def trusted_proxies(value: str) -> tuple[str, ...]:
    """Addresses or networks (comma-separated) whose X-Forwarded-For is believed; none by default."""
    import ipaddress

    found = []
    for part in (item.strip() for item in value.replace(";", ",").split(",")):
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ServeError(f"{PROXIES_ENV} / --trusted-proxies: «{part}» — не IP-адрес и не сеть. Укажите "
                             "адреса обратных прокси через запятую, например 127.0.0.1 или 10.0.0.0/24") from None
    return tuple(found)


def build_app(sources: str, db: str, *, dev: bool = False, secure_cookies: bool = False, proxies: str = "",
              environ: Mapping[str, str] | None = None) -> Starlette:
    from reports.web import WebConfig, create_app

    key = secret_key(os.environ if environ is None else environ, dev)
    trusted = trusted_proxies(proxies)
    try:
        registry = load(sources)
    except SourcesError as exc:
        raise ServeError(exc.render()) from None
    if "://" not in db and not Path(db).exists():
        raise ServeError(f"Хранилище {db} не найдено: сначала выполните natmon crawl или укажите --db")
    try:
        store = Store.open(db)
    except StoreError as exc:
        raise ServeError(str(exc)) from None
    return create_app(store, registry, WebConfig(secret_key=key, secure_cookies=secure_cookies,
                                                 trusted_proxies=trusted))


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Адрес, на котором слушать.")] = DEFAULT_HOST,
        port: Annotated[int, typer.Option(help="Порт.")] = DEFAULT_PORT,
        dev: Annotated[bool, typer.Option("--dev", help="Пробный запуск: без NATMON_SECRET_KEY (сессии "
                                          "сбрасываются при перезапуске).")] = False,
        secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Cookie только по HTTPS (за "
                                                     "обратным прокси с TLS).")] = False,
        proxies: Annotated[str, typer.Option("--trusted-proxies", envvar=PROXIES_ENV, help="Адреса обратных "
                                             "прокси через запятую (IP или сеть), чьему X-Forwarded-For верить; "
                                             "по умолчанию никому.")] = "",
        sources: Sources = DEFAULT_SOURCES,
        db: Db = DEFAULT_DB,
    ) -> None:
        """Запустить веб-приложение: обзор региона, проверка публикаций, отчёты и их отправка.

        Ключ подписи сессий берётся из NATMON_SECRET_KEY (без него запуск возможен только с --dev).
        Пользователей заводит natmon users add. За обратным прокси с HTTPS добавьте --secure-cookies
        и назовите прокси в --trusted-proxies (иначе адрес клиента — адрес прокси, а заголовок
        X-Forwarded-For не учитывается).

        Примеры:

          NATMON_SECRET_KEY="$(cat /etc/natmon/secret_key)" natmon serve --secure-cookies --trusted-proxies 127.0.0.1

          natmon serve --dev
        """
        import uvicorn

        try:
            web = build_app(sources, db, dev=dev, secure_cookies=secure_cookies, proxies=proxies)
        except ServeError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        if dev and not os.environ.get(SECRET_ENV):
            typer.echo(f"Пробный запуск: {SECRET_ENV} не задан, сессии сбросятся при перезапуске.", err=True)
        typer.echo(f"natmon: веб-приложение на http://{host}:{port}/ (остановить: Ctrl+C)", err=True)
        # Forwarded headers are read by the app itself, from --trusted-proxies only; uvicorn's own
        # reading would believe any X-Forwarded-For sent from 127.0.0.1.
        uvicorn.run(web, host=host, port=port, proxy_headers=False, server_header=False, log_level="warning")


__all__ = ["register", "build_app", "secret_key", "trusted_proxies", "ServeError", "SECRET_ENV", "PROXIES_ENV"]
