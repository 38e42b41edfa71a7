"""`natmon sources import`: an institution list (CSV/XLSX) into sources.yaml entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml

from crawler.importer import ImportFileError, import_institutions


def register(app: typer.Typer) -> None:
    sources = next(group.typer_instance for group in app.registered_groups if group.name == "sources")

    @sources.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="Список учреждений: .csv (UTF-8 или Windows-1251) или .xlsx.")],
        municipality: Annotated[Optional[str], typer.Option(help="Муниципалитет для всех строк, если в "
                                                            "файле нет такого столбца.")] = None,
        output: Annotated[Optional[Path], typer.Option(help="Записать фрагмент YAML в файл "
                                                       "(по умолчанию — на экран).")] = None,
    ) -> None:
        """Превратить список учреждений управления образования в записи для sources.yaml.

        Столбцы распознаются по смыслу заголовка («Наименование», «Тип», «Сайт», «ВКонтакте»,
        «Telegram», «Муниципалитет»). Строки, которые не удалось прочитать, перечисляются с номерами.
        Полученный фрагмент добавьте в раздел municipalities файла sources.yaml и проверьте
        командой natmon sources check.

        Примеры:

          natmon sources import список_ОО.xlsx --output новые.yaml

          natmon sources import школы.csv --municipality "г. Зима"
        """
        if not file.exists():
            typer.echo(f"Файл не найден: {file}", err=True)
            raise typer.Exit(2)
        try:
            result = import_institutions(file, municipality)
        except ImportFileError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        text = yaml.safe_dump(result.to_yaml_tree(), allow_unicode=True, sort_keys=False)
        if output:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"Записано: {output}")
        else:
            typer.echo(text)
        for problem in result.problems:
            typer.echo(problem, err=True)
        count = sum(len(items) for items in result.municipalities.values())
        typer.echo(f"Прочитано строк: {result.rows_read}; учреждений: {count}; "
                   f"замечаний: {len(result.problems)}.", err=True)
