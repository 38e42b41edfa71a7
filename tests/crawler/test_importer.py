"""Institution lists (CSV in UTF-8 or Windows-1251, XLSX) into sources.yaml entries."""

from __future__ import annotations

import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from crawler.cli import app
from crawler.importer import import_institutions
from crawler.registry import loads

CSV = """Муниципальное образование;Наименование ОО;Тип;Сайт;Группа ВКонтакте;Telegram-канал
г. Зима;МБОУ СОШ № 1;школа;sosh1-zima.example.ru;https://vk.com/public101;@sosh1_zima
г. Зима;МБДОУ Детский сад № 5;;ds5.example.ru;;
г. Зима;;школа;x.example.ru;;
г. Зима;МБУ ДО ДДТ;;ddt.example.ru;vk.com/id7;
г. Зима;МБОУ СОШ № 1;школа;;;
"""


def test_csv_in_windows_1251_with_lenient_headers(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(CSV.encode("cp1251"))
    result = import_institutions(path)
    institutions = result.municipalities["г. Зима"]
    assert [(i["name"], i["kind"]) for i in institutions] == [
        ("МБОУ СОШ № 1", "school"), ("МБДОУ Детский сад № 5", "kindergarten"), ("МБУ ДО ДДТ", "additional")]
    assert institutions[0]["channels"] == [{"website": "sosh1-zima.example.ru"}, {"vk": "https://vk.com/public101"},
                                           {"telegram": "@sosh1_zima"}]
    problems = "\n".join(result.problems)
    assert "строка 4: нет наименования учреждения" in problems
    assert "строка 5, столбец vk" in problems and "пользователя" in problems
    assert "строка 6: «МБОУ СОШ № 1» уже встречалось выше" in problems
    assert result.rows_read == 5


def test_output_is_valid_registry_once_authority_is_filled(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    tree = import_institutions(path).to_yaml_tree()
    tree["municipalities"][0]["authority"] = "Управление образования"
    tree.update(region={"name": "Иркутская область", "timezone": "Asia/Irkutsk"},
                campaigns=[{"id": "c", "name": "К", "start": "2025-01-10", "end": "2025-03-31",
                            "deadlines": ["2025-01-13"]}])
    registry = loads(yaml.safe_dump(tree, allow_unicode=True), path)
    assert len(list(registry.channels())) == 5


def test_xlsx_via_cli_reports_rows_and_writes_yaml(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Наименование учреждения", "Вид", "Адрес сайта"])
    sheet.append(["МКОУ Услонская СОШ", "общеобразовательная школа", "uslon.example.ru"])
    sheet.append([None, None, None])
    sheet.append(["Колледж", "колледж", "ftp://bad"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    out = tmp_path / "new.yaml"
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "Зиминский район",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    tree = yaml.safe_load(out.read_text(encoding="utf-8"))
    names = [i["name"] for i in tree["municipalities"][0]["institutions"]]
    assert names == ["МКОУ Услонская СОШ", "Колледж"]
    assert "строка 4, столбец website" in result.output


def test_file_without_name_column_is_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Сайт;Телефон\na.ru;123\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "г. Зима"])
    assert result.exit_code == 2
    assert "не найден столбец с наименованием" in result.output
