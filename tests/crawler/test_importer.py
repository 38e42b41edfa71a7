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
    assert "строка 5, столбец «Группа ВКонтакте» (E)" in problems and "пользователя" in problems
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
    assert "строка 4, столбец «Адрес сайта» (C)" in result.output


def test_file_without_name_column_is_refused(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Сайт;Телефон\na.ru;123\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "г. Зима"])
    assert result.exit_code == 2
    assert "не найден столбец с наименованием" in result.output


# -- lists as departments really keep them -------------------------------------------------------

ZIMA = "Зиминский район"
SAYANSK = "г. Саянск"


def department_workbook(path):
    """A workbook like a department's: a merged title, a blank row, a two-level merged header, a
    numbering column, notes under the table, one sheet per municipality and an empty sheet."""
    book = Workbook()
    zima = book.active
    zima.title = ZIMA
    zima.append(["Сведения об официальных ресурсах образовательных организаций Зиминского района"])
    zima.merge_cells("A1:G1")
    zima.append([])
    zima.append(["№ п/п", "Наименование ОО (полное)", "Ссылки на официальные ресурсы"])
    zima.append([None, None, "Официальный сайт", "Госпаблик ВКонтакте", "Телеграм-канал", "Одноклассники", "MAX"])
    zima.merge_cells("A3:A4")
    zima.merge_cells("B3:B4")
    zima.merge_cells("C3:G3")
    zima.append([1, "МБОУ «Средняя общеобразовательная школа № 1»", "sosh1-zima.example.ru",
                 "https://vk.com/public2001", "https://t.me/sosh1zima", "https://ok.ru/group/5001",
                 "https://max.ru/sosh1zima"])
    zima.append([2, "МБДОУ «Детский сад № 7 „Солнышко“»", "ds7-zima.example.ru", "нет", "-", None, None])
    zima.append([3, "МБУ ДО «Дом детского творчества»", None, "vk.com/ddt_zima", None, None, None])
    zima.append([])
    zima.append(["Примечание: ресурсы проверены 01.12.2024"])
    zima.merge_cells("A9:G9")
    zima.append(["Исполнитель: Иванова И. И., тел. 8 (39554) 3-12-45"])
    sayansk = book.create_sheet(SAYANSK)
    sayansk.append(["№", "Наименование ОО (краткое)", "Наименование ОО (полное)", "Официальный сайт",
                    "ФИО руководителя"])
    sayansk.append([1, "Гимназия № 1", "МБОУ «Гимназия № 1»", "gym1-sayansk.example.ru", "Петров П. П."])
    sayansk.append([2, "Лицей", "МБОУ «Лицей»", "licei-sayansk.example.ru", "Сидорова С. С."])
    book.create_sheet("Лист3")
    book.save(path)
    book.close()


def test_every_sheet_of_a_department_workbook_is_read_below_its_title(tmp_path):
    path = tmp_path / "ресурсы ОО.xlsx"
    department_workbook(path)
    result = import_institutions(path)
    assert list(result.municipalities) == [ZIMA, SAYANSK]  # the sheet names, as there is no municipality column
    zima = result.municipalities[ZIMA]
    assert [i["name"] for i in zima] == ["МБОУ «Средняя общеобразовательная школа № 1»",
                                         "МБДОУ «Детский сад № 7 „Солнышко“»", "МБУ ДО «Дом детского творчества»"]
    assert zima[0]["channels"] == [{"website": "sosh1-zima.example.ru"}, {"vk": "https://vk.com/public2001"},
                                   {"telegram": "https://t.me/sosh1zima"}, {"ok": "https://ok.ru/group/5001"},
                                   {"max": "https://max.ru/sosh1zima"}]
    assert zima[1]["channels"] == [{"website": "ds7-zima.example.ru"}]  # «нет» and «-» are no addresses
    assert [i["kind"] for i in zima] == ["school", "kindergarten", "additional"]
    assert [i["name"] for i in result.municipalities[SAYANSK]] == ["МБОУ «Гимназия № 1»", "МБОУ «Лицей»"]
    problems = "\n".join(result.problems)
    assert f"лист «{ZIMA}», строки 9, 10: примечания" in problems
    assert result.rows_read == 5
    zima_header = result.sheets[0].header
    assert zima_header is not None and zima_header.row == 4


def test_the_cli_says_which_columns_it_recognised(tmp_path):
    path = tmp_path / "ресурсы ОО.xlsx"
    department_workbook(path)
    out = tmp_path / "новые.yaml"
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert (f"Лист «{ZIMA}»: заголовки в строке 4, строк с учреждениями: 3. Столбцы: наименование — "
            "«Наименование ОО (полное)» (B); сайт — «Ссылки на официальные ресурсы Официальный сайт» (C)") \
        in result.stderr
    assert "MAX — «Ссылки на официальные ресурсы MAX» (G)" in result.stderr
    assert "не использованы: «Наименование ОО (краткое)» (B), «ФИО руководителя» (E)" in result.stderr
    tree = yaml.safe_load(out.read_text(encoding="utf-8"))
    names = [i["name"] for m in tree["municipalities"] for i in m["institutions"]]
    assert len(names) == 5 and not any(name in ("№", "№ п/п", "1", "2") for name in names)


def test_a_list_with_a_title_row_and_no_name_column_is_refused(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Список ресурсов"])
    sheet.append([])
    sheet.append(["№", "Сайт", "Телефон"])
    sheet.append([1, "a.example.ru", "123"])
    path = tmp_path / "список.xlsx"
    book.save(path)
    book.close()
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "г. Зима"])
    assert result.exit_code == 2
    assert "не найден столбец с наименованием учреждения" in result.stderr and "«№», «Сайт», «Телефон»" in result.stderr
    assert result.stdout == ""  # no institutions invented


def test_a_sheet_named_lists_1_names_no_municipality(tmp_path):
    book = Workbook()
    book.active.append(["№", "Наименование ОО", "Сайт"])
    book.active.append([1, "МБОУ СОШ № 3", "sosh3.example.ru"])
    path = tmp_path / "список.xlsx"
    book.save(path)
    book.close()
    result = CliRunner().invoke(app, ["sources", "import", str(path)])
    assert result.exit_code == 2 and "--municipality" in result.stderr
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "г. Зима"])
    assert result.exit_code == 0 and "МБОУ СОШ № 3" in result.stdout


def test_a_broken_xlsx_is_refused_in_russian(tmp_path):
    path = tmp_path / "список.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--municipality", "г. Зима"])
    assert result.exit_code == 2
    assert "не книга Excel .xlsx" in result.stderr and "zip" not in result.stderr.lower()


SEMICOLON_CSV = """Список школ г. Зима
;;;
№;Наименование ОО;Официальный сайт;Телеграм-канал
1;"МБОУ СОШ № 1";sosh1.example.ru;@sosh1_zima
2;"МБОУ СОШ № 2;sosh2.example.ru;
3;МБОУ "Гимназия";gym.example.ru;
4;"МБОУ ""Лицей"" № 5";lic5.example.ru;https://t.me/lic5zima
5;"МБОУ ООШ № 6
(филиал)";oosh6.example.ru;
"""


def test_an_unbalanced_quote_costs_one_row_not_the_file(tmp_path):
    path = tmp_path / "школы.csv"
    path.write_text(SEMICOLON_CSV, encoding="utf-8")
    result = import_institutions(path, "г. Зима")
    names = [i["name"] for i in result.municipalities["г. Зима"]]
    assert names == ["МБОУ СОШ № 1", 'МБОУ "Гимназия"', 'МБОУ "Лицей" № 5', "МБОУ ООШ № 6\n(филиал)"]
    assert result.municipalities["г. Зима"][2]["channels"] == [{"website": "lic5.example.ru"},
                                                              {"telegram": "https://t.me/lic5zima"}]
    problems = "\n".join(result.problems)
    assert "строка 5: непарная кавычка" in problems
    assert "столбец" not in problems  # the separator was found: no row was misread


def test_the_fragment_import_writes_passes_sources_check_as_it_is(tmp_path):
    path = tmp_path / "школы.csv"
    path.write_text(CSV, encoding="utf-8")
    fragment = tmp_path / "новые.yaml"
    result = CliRunner().invoke(app, ["sources", "import", str(path), "--output", str(fragment)])
    assert result.exit_code == 0, result.output
    sources = tmp_path / "sources.yaml"
    sources.write_text("region:\n  name: Иркутская область\n  timezone: Asia/Irkutsk\n"
                       "campaigns:\n  - id: c\n    name: К\n    start: 2025-01-10\n    end: 2025-03-31\n"
                       "    deadlines: [2025-01-13]\n    recipient:\n      name: Министерство\n"
                       "      email: minobr@example.org\n" + fragment.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    assert "ошибок нет" in result.stdout
    assert "authority" in result.stderr and "г. Зима" in result.stderr  # reminded, not refused


def test_links_by_host_hyperlinked_words_and_municipality_heading_rows(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["№", "Наименование ОО", "Социальные сети", "Сайт"])
    sheet.append(["Зиминский район"])
    sheet.merge_cells("A2:D2")
    sheet.append([1, "МКОУ Услонская СОШ", "https://vk.com/uslon_school, https://t.me/uslon_school", None])
    sheet.append(["г. Саянск"])
    sheet.merge_cells("A4:D4")
    sheet.append([1, "МБОУ «Гимназия № 1»", None, "Сайт гимназии"])
    sheet["D5"].hyperlink = "https://gym1-sayansk.example.ru/"
    path = tmp_path / "список.xlsx"
    book.save(path)
    book.close()
    result = import_institutions(path)
    assert list(result.municipalities) == ["Зиминский район", "г. Саянск"]
    assert result.municipalities["Зиминский район"][0]["channels"] == [{"vk": "https://vk.com/uslon_school"},
                                                                       {"telegram": "https://t.me/uslon_school"}]
    assert result.municipalities["г. Саянск"][0]["channels"] == [{"website": "https://gym1-sayansk.example.ru/"}]
    assert any("строка 2: «Зиминский район» принято за название муниципалитета" in p for p in result.problems)
