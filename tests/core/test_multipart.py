"""The lean multipart reader (`motcua.core.multipart`, ADR 0014) reads what Django's parser reads, keeps Django's
limits, and refuses a malformed body with a message."""

from __future__ import annotations

import io

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory

from motcua.core.multipart import FormInvalid, multipart_form_load

BOUNDARY = "----motcuaTestBoundary7MA4YWxk"


def _part(
    name: str, value: str | bytes, *, filename: str | None = None, content_type: str | None = None
) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    data = value.encode() if isinstance(value, str) else value
    return head.encode() + b"\r\n" + data + b"\r\n"


def _body(*parts: bytes, preamble: bytes = b"", epilogue: bytes = b"\r\n") -> bytes:
    return preamble + b"".join(parts) + f"--{BOUNDARY}--".encode() + epilogue


def _request(body: bytes, content_type: str | None = None) -> WSGIRequest:
    return RequestFactory().generic(
        "POST", "/open311/v2/requests.json", data=body,
        content_type=content_type or f"multipart/form-data; boundary={BOUNDARY}",
    )  # fmt: skip


def _lean(body: bytes, **limits) -> WSGIRequest:
    request = _request(body)
    kwargs = {"file_fields": {"media"}, "max_files": 6, "max_file_bytes": 1000} | limits
    assert multipart_form_load(request, **kwargs) is True
    return request


PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3 + b"\r\n--not-the-boundary\r\n" + b"\xff\xd9"

FORM = _body(
    _part("api_key", "k" * 40),
    _part("description", "Ổ gà lớn giữa đường;\r\nxe máy dễ té ngã — “nguy hiểm”."),
    _part("attribute[commune]", "26041"),
    _part("attribute[commune]", "26042"),
    _part("first_name", ""),
    _part("media", PHOTO, filename="C:\\Users\\An\\ảnh ổ gà.jpg", content_type="image/jpeg"),
    _part("media", b"\x89PNG\r\n\x1a\n", filename="b.png", content_type="image/png"),
    preamble=b"a preamble some clients send\r\n",
)


def test_reads_what_django_reads(settings):
    lean, django = _lean(FORM), _request(FORM)
    assert dict(lean.POST.lists()) == dict(django.POST.lists())
    assert lean.POST["description"] == "Ổ gà lớn giữa đường;\r\nxe máy dễ té ngã — “nguy hiểm”."
    assert lean.POST.getlist("attribute[commune]") == ["26041", "26042"] and lean.POST["first_name"] == ""
    ours, theirs = lean.FILES.getlist("media"), django.FILES.getlist("media")
    assert [(f.name, f.content_type, f.size, f.read()) for f in ours] == [
        (f.name, f.content_type, f.size, f.read()) for f in theirs
    ]
    assert ours[0].name == "ảnh ổ gà.jpg"  # the client's directories dropped, as Django does
    assert not lean.POST._mutable


def test_leaves_other_bodies_to_django():
    request = _request(b"service_code=giao-thong&api_key=x", "application/x-www-form-urlencoded")
    assert multipart_form_load(request, file_fields={"media"}, max_files=6, max_file_bytes=1000) is False
    assert request.POST["service_code"] == "giao-thong"


def test_keeps_at_most_max_files_and_cuts_a_long_file_at_the_limit_plus_one():
    photos = [_part("media", b"x" * 5000, filename=f"{n}.jpg", content_type="image/jpeg") for n in range(4)]
    request = _lean(
        _body(_part("other", b"y" * 5000, filename="z.bin"), *photos), max_files=2, max_file_bytes=1000
    )
    kept = request.FILES.getlist("media")
    assert [(f.name, f.size) for f in kept] == [("0.jpg", 1001), ("1.jpg", 1001)]  # long enough to be refused
    assert "other" not in request.FILES and "other" not in request.POST


def test_keeps_djangos_limits(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    with pytest.raises(FormInvalid, match="quá nhiều trường"):
        _lean(_body(*(_part(f"f{n}", "1") for n in range(4))))
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    with pytest.raises(FormInvalid, match="quá dài"):
        _lean(_body(_part("description", "a" * 101)))
    _lean(
        _body(_part("description", "a" * 100), _part("media", b"p" * 500, filename="a.jpg"))
    )  # files not counted
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    with pytest.raises(FormInvalid, match="quá nhiều tệp"):
        _lean(_body(*(_part("media", b"p", filename=f"{n}.jpg") for n in range(3))))


@pytest.mark.parametrize(
    "body, content_type",
    [
        (FORM[: len(FORM) // 2], None),  # cut in the middle (a dropped connection)
        (FORM.replace(b"Content-Disposition", b"Content-Disposition-X" * 300), None),  # a header far too long
        (FORM, "multipart/form-data"),  # no boundary
    ],
)
def test_a_malformed_body_is_refused_with_a_message(body, content_type):
    request = _request(body, content_type)
    if content_type is None:
        request.META["CONTENT_LENGTH"] = str(len(body))
    with pytest.raises(FormInvalid) as refused:
        multipart_form_load(request, file_fields={"media"}, max_files=6, max_file_bytes=1000)
    assert "multipart/form-data" in refused.value.message


def test_reads_a_body_longer_than_one_chunk():
    big = bytes(range(256)) * 1000  # 256 KB, several reads of 64 KB
    request = _lean(
        _body(_part("media", big, filename="a.jpg"), _part("api_key", "k")), max_file_bytes=len(big)
    )
    assert request.FILES["media"].read() == big and request.POST["api_key"] == "k"
    assert isinstance(request.FILES["media"].file, io.BytesIO)
