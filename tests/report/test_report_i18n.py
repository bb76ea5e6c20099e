from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dalsnet_audit.model.enums import CollectStatus
from dalsnet_audit.report.i18n import Catalogue


def test_ui_keys_identical_across_languages(templates_dir: Path) -> None:
    en = Catalogue.load(templates_dir, "en").keys("ui")
    sv = Catalogue.load(templates_dir, "sv").keys("ui")
    assert en, "the ui catalogue is empty"
    assert en - sv == set(), f"missing in sv: {sorted(en - sv)}"
    assert sv - en == set(), f"missing in en: {sorted(sv - en)}"


@pytest.mark.parametrize("group", ["status", "device_status", "severity", "family", "exit_code"])
def test_enumerations_are_translated(templates_dir: Path, group: str) -> None:
    expected = {
        "status": {"pass", "fail", "error", "not_applicable", "waived"},
        "device_status": {status.value for status in CollectStatus},
        "severity": {"critical", "high", "medium", "low"},
        "family": {"IP", "SEG", "CRY", "AV", "LOG", "AAA", "STD", "NET"},
        "exit_code": {"0", "1", "2", "3"},
    }[group]
    for lang in ("en", "sv"):
        keys = Catalogue.load(templates_dir, lang).keys(f"ui.{group}")
        assert {k.rsplit(".", 1)[1] for k in keys} == expected


def test_swedish_words(templates_dir: Path) -> None:
    sv = Catalogue.load(templates_dir, "sv")
    assert sv.t("ui.status.fail") == "underkänd"
    assert sv.t("ui.device_status.host_key_mismatch") == "värdnyckel stämmer inte"
    assert sv.t("ui.severity.high") == "hög"
    assert sv.t("ui.municipality.title") == "Efterlevnad per kommun"
    assert sv.t("ui.not_audited.title") == "Ej granskade enheter"
    assert sv.t("ui.exit_code.3")


def test_params_are_filled(templates_dir: Path) -> None:
    en = Catalogue.load(templates_dir, "en")
    assert en.t("ui.summary.devices", audited=3, total=5) == "3 of 5 devices audited"
    assert en.t("ui.format.percent", value=91) == "91%"


def test_unknown_key_names_key_and_language(templates_dir: Path) -> None:
    sv = Catalogue.load(templates_dir, "sv")
    with pytest.raises(KeyError) as excinfo:
        sv.t("ui.nope.missing")
    assert "ui.nope.missing" in str(excinfo.value)
    assert "sv" in str(excinfo.value)


def test_group_key_is_not_a_message(templates_dir: Path) -> None:
    with pytest.raises(KeyError):
        Catalogue.load(templates_dir, "en").t("ui.status")


def test_missing_parameter_is_reported(templates_dir: Path) -> None:
    with pytest.raises(KeyError, match=r"ui\.summary\.devices"):
        Catalogue.load(templates_dir, "en").t("ui.summary.devices", audited=1)


@pytest.mark.parametrize("lang", ["de", "", "SV", "en_GB"])
def test_unsupported_language(templates_dir: Path, lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        Catalogue.load(templates_dir, lang)


def test_other_files_merge_in(templates_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(templates_dir / "i18n", tmp_path / "i18n")
    (tmp_path / "i18n" / "findings.en.yaml").write_text(
        "findings:\n  IP-001:\n    fail: 'Address {address} is outside the plan'\n",
        encoding="utf-8",
    )
    en = Catalogue.load(tmp_path, "en")
    assert en.t("findings.IP-001.fail", address="192.168.1.1") == (
        "Address 192.168.1.1 is outside the plan"
    )
    assert en.t("ui.status.pass") == "pass"
    assert not Catalogue.load(tmp_path, "sv").has("findings.IP-001.fail")


def test_conflicting_definitions_are_refused(templates_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(templates_dir / "i18n", tmp_path / "i18n")
    (tmp_path / "i18n" / "zz.en.yaml").write_text("ui:\n  title: Other\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"ui\.title"):
        Catalogue.load(tmp_path, "en")


def test_catalogue_must_be_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "ui.en.yaml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        Catalogue.load(tmp_path, "en")
