"""The deployment files, checked with what runs without a container engine:
the compose file and Procfile parsed and compared with the settings the site
reads, and the Dockerfile linted with hadolint."""

import re
import shlex
import subprocess

import yaml

from tests import services

ROOT = services.ROOT
SITE_SERVICES = ["migrate", "web", "worker", "beat"]


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_compose_runs_every_process_and_service_the_site_needs():
    services_ = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis", "s3"} <= set(services_)
    # One image for the site's processes.
    assert {services_[name]["build"] for name in SITE_SERVICES} == {"."}
    assert "command" not in services_["web"]  # the image's gunicorn
    assert services_["worker"]["command"][:4] == ["celery", "-A", "smp_site", "worker"]
    assert services_["beat"]["command"][:4] == ["celery", "-A", "smp_site", "beat"]
    for name in ["web", "worker", "beat"]:
        assert services_[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services_[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_sets_only_variables_the_site_reads():
    settings_source = (ROOT / "smp_site" / "settings.py").read_text()
    environment = compose()["services"]["web"]["environment"]
    for name in environment:
        assert re.search(rf'"{name}"', settings_source), f"{name} is not read by smp_site/settings.py"
    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert environment["AWS_S3_ENDPOINT_URL"] == "http://s3:9000"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_procfile_lists_the_same_processes():
    processes = procfile()
    assert set(processes) == {"release", "web", "worker", "beat"}
    assert processes["web"].startswith("gunicorn smp_site.wsgi --config gunicorn.conf.py")
    services_ = compose()["services"]
    for name in ["worker", "beat"]:
        assert shlex.split(processes[name])[:4] == services_[name]["command"][:4]


def test_the_dockerfile_is_small_non_root_and_lint_clean():
    dockerfile = (ROOT / "Dockerfile").read_text()
    result = subprocess.run(
        [str(services.BIN / "hadolint"), "Dockerfile"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (user,) = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert not user.startswith(("0", "root"))
    assert "collectstatic" in dockerfile and "requirements-dev" not in dockerfile
    assert dockerfile.rstrip().splitlines()[-1].startswith('CMD ["gunicorn", "smp_site.wsgi"')
    # Everything the build copies exists (the build context is the repository).
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), path
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "node_modules", "db.sqlite3", ".secret-key"} <= set(ignored)


def test_in_development_links_follow_the_port_the_site_is_served_on():
    code = "from django.conf import settings; print(settings.SITE_URL)"
    env = services.environment(DJANGO_SETTINGS_MODULE="smp_site.settings", DEBUG="true", PORT="8010")
    env.pop("SITE_URL", None)
    result = subprocess.run(
        [str(services.BIN / "python"), "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8010", result.stderr
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT=$(PORT) DJANGO_RUNSERVER_HIDE_WARNING=true $(MANAGE) runserver 127.0.0.1:$(PORT)" in makefile
