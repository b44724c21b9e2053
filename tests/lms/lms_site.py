"""Drive the wagtail-lms test site (run with .venv-lms/bin/python, LMS_DATA set, cwd tests/lms).

lms_site.py setup PACKAGE.zip   import the package as a SCORMPackage under a course, make a learner;
                                prints {"lesson": id, "session": cookie}
lms_site.py login               a new session for the learner (another browser); prints {"session": ...}
lms_site.py dump                what the LMS stored: the attempt, its cmi data, the enrolment
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files import File  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail_lms.models import (  # noqa: E402
    CourseEnrollment,
    CoursePage,
    SCORMAttempt,
    SCORMData,
    SCORMLessonPage,
    SCORMPackage,
)

USER = "priya"


def session() -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=USER))
    return client.cookies["sessionid"].value


def setup(zip_path: str) -> dict:
    get_user_model().objects.create_user(
        USER, password="unused-pass-1", first_name="Priya", last_name="Natarajan"
    )
    package = SCORMPackage(title="")
    with open(zip_path, "rb") as f:
        package.package_file.save(os.path.basename(zip_path), File(f), save=False)
        package.save()  # extracts the zip and reads imsmanifest.xml
    home = Page.objects.filter(depth=2).first() or Page.objects.get(depth=1)
    course = home.add_child(instance=CoursePage(title="Customer service", slug="customer-service"))
    lesson = course.add_child(
        instance=SCORMLessonPage(title="Irate customers", slug="irate", scorm_package=package)
    )
    return {
        "lesson": lesson.id,
        "session": session(),
        "package": {"title": package.title, "version": package.version, "launch": package.get_launch_url()},
    }


def dump() -> dict:
    attempt = SCORMAttempt.objects.get()
    enrolment = CourseEnrollment.objects.filter(user__username=USER).first()
    return {
        "attempts": SCORMAttempt.objects.count(),
        "completion_status": attempt.completion_status,
        "score_raw": attempt.score_raw,
        "score_min": attempt.score_min,
        "score_max": attempt.score_max,
        "location": attempt.location,
        "suspend_data": attempt.suspend_data,
        "cmi": {d.key: d.value for d in SCORMData.objects.filter(attempt=attempt)},
        "enrolment_completed": bool(enrolment and enrolment.completed_at),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    result = (
        setup(sys.argv[2]) if command == "setup" else {"session": session()} if command == "login" else dump()
    )
    print(json.dumps(result))
