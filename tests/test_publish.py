"""A build only touches what it made (issue 11 item 3).

Temporary folders get ``mkdtemp`` names beside the site; fixed names such as ``site.old`` or
``site.building`` are the user's and survive; a ``site/`` that is a symlink (to a web root) or a
mount point is synced into, not replaced; a failed build leaves the last good site and nothing else.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from builder import site as publishing
from tests.helpers import make_project, mkdocs_build

PAGE = "# Welcome\n\nHello.\n"


def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", {"content/index.md": PAGE})


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".old-" in p.name)


def test_the_users_site_old_and_site_building_survive_a_build(tmp_path):
    proj = project(tmp_path)
    for name in ("site.old", "site.building"):
        (proj / name).mkdir()
        (proj / name / "backup.txt").write_text("mine", encoding="utf-8")
    for _ in range(2):  # the first build makes site/, the second replaces it
        result = mkdocs_build(proj)
        assert result.returncode == 0, result.stderr
    for name in ("site.old", "site.building"):
        assert (proj / name / "backup.txt").read_text(encoding="utf-8") == "mine"
    assert (proj / "site" / "index.html").is_file()
    assert leftovers(proj) == []
    mode = stat.S_IMODE((proj / "site").stat().st_mode)
    assert mode & 0o055 == 0o055 & ~_umask(), oct(mode)  # readable by a web server, not mkdtemp's 0700


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_site_that_is_a_symlink_to_the_web_root_is_synced_into(tmp_path):
    proj = project(tmp_path)
    (proj / "content" / "old-page.md").write_text("# Old\n", encoding="utf-8")
    webroot = tmp_path / "www" / "course"
    webroot.mkdir(parents=True)
    (webroot / "robots.txt").write_text("the admin's", encoding="utf-8")
    (webroot / "other-app").mkdir()
    (webroot / "other-app" / "x.js").write_text("x", encoding="utf-8")
    (webroot / ".well-known").mkdir()
    (webroot / ".well-known" / "security.txt").write_text("the admin's", encoding="utf-8")
    (proj / "site").symlink_to(webroot, target_is_directory=True)
    inode = webroot.stat().st_ino

    result = mkdocs_build(proj)
    assert result.returncode == 0, result.stderr
    assert (webroot / "old-page.html").is_file()
    (proj / "content" / "old-page.md").unlink()  # the next build no longer has it
    result = mkdocs_build(proj)

    assert result.returncode == 0, result.stderr
    assert (proj / "site").is_symlink() and os.readlink(proj / "site") == str(webroot)
    assert webroot.stat().st_ino == inode  # the same folder, not a replacement
    assert (webroot / "index.html").is_file() and (webroot / "assets" / "course" / "manifest.js").is_file()
    assert not (webroot / "old-page.html").exists()  # written by our earlier build, gone now
    # what the build did not write stays
    assert (webroot / "robots.txt").read_text(encoding="utf-8") == "the admin's"
    assert (webroot / "other-app" / "x.js").is_file()
    assert (webroot / ".well-known" / "security.txt").read_text(encoding="utf-8") == "the admin's"
    assert leftovers(proj) == [] and leftovers(webroot) == []


def test_a_mount_point_is_synced_into_not_renamed(tmp_path, monkeypatch):
    """A mount point cannot be renamed (EBUSY); publish() must sync into it instead."""
    building = Path(publishing.building_dir(str(tmp_path / "site")))
    (building / "index.html").write_text("new", encoding="utf-8")
    mount = tmp_path / "site"
    mount.mkdir()
    (mount / "index.html").write_text("old", encoding="utf-8")
    (mount / "gone.html").write_text("old", encoding="utf-8")
    (mount / ".course-files").write_text("index.html\ngone.html\n", encoding="utf-8")  # an earlier sync
    (mount / "lost+found").mkdir()  # not ours
    inode = mount.stat().st_ino
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: os.path.abspath(p) == str(mount) or real_ismount(p))

    def no_rename_of_the_mount(src, dst, *a, **k):
        assert os.path.abspath(src) != str(mount), "renamed a mount point"
        return real_replace(src, dst, *a, **k)

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", no_rename_of_the_mount)
    publishing.publish(str(building), str(mount))
    assert mount.stat().st_ino == inode
    assert (mount / "index.html").read_text(encoding="utf-8") == "new"
    assert not (mount / "gone.html").exists()
    assert (mount / "lost+found").is_dir()
    assert not building.exists()


def test_a_failed_build_leaves_the_last_good_site_and_no_temporary_folders(tmp_path):
    proj = project(tmp_path)
    assert mkdocs_build(proj).returncode == 0
    good = (proj / "site" / "index.html").read_bytes()
    (proj / "content" / "index.md").write_text("# Welcome\n\n::: quiz no-such-quiz\n", encoding="utf-8")

    result = mkdocs_build(proj)

    assert result.returncode != 0
    assert "no-such-quiz" in result.stderr
    assert (proj / "site" / "index.html").read_bytes() == good
    assert leftovers(proj) == []


def test_a_site_path_that_is_a_file_fails_the_build_and_keeps_the_file(tmp_path):
    proj = project(tmp_path)
    (proj / "site").write_text("not a folder", encoding="utf-8")
    result = mkdocs_build(proj)
    assert result.returncode != 0
    assert "not a folder" in result.stderr
    assert (proj / "site").read_text(encoding="utf-8") == "not a folder"
    assert leftovers(proj) == []
