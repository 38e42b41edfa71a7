"""`natmon sources import`: an institution list (CSV/XLSX) into sources.yaml entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

EXIT_BAD_INPUT = 2


def register(app: typer.Typer) -> None:
    """Add the command to the `sources` group it is given."""

    @app.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="Список учреждений: .csv (UTF-8 или Windows-1251) или .xlsx.")],
        municipality: Annotated[Optional[str], typer.Option(help="Муниципалитет для всех строк, если в "
                                                            "файле нет такого столбца.")] = None,
        output: Annotated[Optional[Path], typer.Option(help="Записать фрагмент YAML в файл "
                                                       "(по умолчанию — на экран).")] = None,
    ) -> None:
        """Превратить список учреждений управления образования в записи для sources.yaml.

        Читаются все листы книги; строка заголовков ищется под строками названия и пустыми строками.
        Столбцы распознаются по заголовку («Наименование ОО (полное)», «Тип», «Официальный сайт»,
        «Госпаблик ВКонтакте», «Телеграм-канал», «Одноклассники», «MAX», «Муниципалитет»); столбец
        «№ п/п» и примечания под таблицей пропускаются. Без столбца муниципалитета муниципалитет
        берётся из --municipality или из названия листа. Распознанные столбцы и строки, которые не
        удалось прочитать, перечисляются с номерами. Фрагмент добавьте в раздел municipalities
        файла sources.yaml, впишите authority и проверьте командой natmon sources check.

        Примеры:

          natmon sources import список_ОО.xlsx --output новые.yaml

          natmon sources import школы.csv --municipality "г. Зима"
        """
        import yaml

        from crawler.importer import ImportFileError, import_institutions

        try:
            result = import_institutions(file, municipality)
        except ImportFileError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        for sheet in result.sheets:
            if sheet.header is not None:
                where = f"Лист «{sheet.name}»" if sheet.name else str(file)
                typer.echo(f"{where}: заголовки в строке {sheet.header.row}, строк с учреждениями: {sheet.rows}. "
                           f"Столбцы: {sheet.header.describe()}.", err=True)
        text = yaml.safe_dump(result.to_yaml_tree(), allow_unicode=True, sort_keys=False)
        if output:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            typer.echo(f"Записано: {output}")
        else:
            typer.echo(text)
        for problem in result.problems:
            typer.echo(problem, err=True)
        count = sum(len(items) for items in result.municipalities.values())
        typer.echo(f"Прочитано строк: {result.rows_read}; учреждений: {count}; "
                   f"замечаний: {len(result.problems)}.", err=True)
