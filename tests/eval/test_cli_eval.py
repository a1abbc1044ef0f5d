"""`sitroom eval` names the path and the problem instead of a traceback."""

from sitroom.cli import main


def test_eval_of_a_folder_where_a_file_is_read_is_a_clear_message(tmp_path, capsys):
    assert main(["eval", "seeds", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "not the file this task reads" in err


def test_eval_of_a_missing_path_names_it(tmp_path, capsys):
    assert main(["eval", "seeds", str(tmp_path / "gone.json")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
