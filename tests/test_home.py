import pytest

from shelter import home


def test_it_reads_database_urls():
    pg = home.database("postgres://shelter:s%40cret@db.internal:5433/shelter", None)
    assert pg["ENGINE"].endswith("postgresql") and pg["PASSWORD"] == "s@cret" and pg["PORT"] == "5433"
    assert pg["CONN_MAX_AGE"] > 0 and pg["CONN_HEALTH_CHECKS"]  # persistent connections, checked before reuse
    assert pg["OPTIONS"]["options"] == "-c jit=off"
    assert home.database("sqlite:////var/lib/shelter.db", None)["NAME"] == "/var/lib/shelter.db"


def test_it_refuses_unknown_database_schemes(tmp_path):
    with pytest.raises(home.ConfigError, match="mysql"):
        home.database("mysql://x", tmp_path)


def test_environment_variables_override_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "shelter.toml").write_text('database_url = "sqlite:///a"\ndebug = false\n')
    monkeypatch.delenv("SHELTER_DATABASE_URL", raising=False)
    monkeypatch.setenv("SHELTER_DEBUG", "true")
    config = home.load_config(tmp_path)
    assert config["database_url"] == "sqlite:///a" and home.as_bool(config["debug"])


def test_a_broken_config_file_is_reported(tmp_path):
    (tmp_path / "shelter.toml").write_text("this is = = not toml")
    with pytest.raises(home.ConfigError, match="shelter.toml"):
        home.load_config(tmp_path)


def test_the_config_names_trusted_proxies_as_addresses_or_networks():
    assert [str(n) for n in home.networks(["127.0.0.1", "::1", "10.0.0.0/8"])] == ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]
    assert home.networks("") == []
    with pytest.raises(home.ConfigError, match="trusted_proxies.*nginx"):
        home.networks("127.0.0.1, nginx")
