"""Input and output schemas of the dossier endpoints (published in /api/v1/openapi.json)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field
from pydantic_core import core_schema

from motcua.api.v1 import ErrorOut


class ApplicantIn(Schema):
    """The applicant (chủ hồ sơ) and, optionally, the submitter acting by power of attorney (người nộp thay)."""

    applicant_name: str | None = Field(None, description="Họ và tên chủ hồ sơ")
    applicant_id_type: str | None = Field(None, description="cccd | tax_code | passport (mặc định cccd)")
    applicant_id_number: str | None = Field(None, description="Số CCCD (12 chữ số), mã số thuế hoặc hộ chiếu")
    applicant_birth_date: str | None = Field(None, description="Ngày sinh, dd/mm/yyyy hoặc yyyy-mm-dd")
    applicant_phone: str | None = Field(None, description="Số điện thoại, ví dụ 0912345678")
    applicant_email: str | None = None
    applicant_commune: str | None = Field(None, description="Mã xã, phường (5 chữ số)")
    applicant_address: str | None = None
    submitter_name: str | None = None
    submitter_id_number: str | None = None
    submitter_phone: str | None = None
    submitter_email: str | None = None
    submitter_authorisation: str | None = Field(None, description="Số, ngày giấy ủy quyền")


class DossierIn(Schema):
    """The JSON in the multipart field `data`."""

    procedure: str = Field(..., description="Mã thủ tục quốc gia, ví dụ 1.001193")
    case_id: int | None = Field(None, description="Mã trường hợp của thủ tục")
    case_index: int | None = Field(
        None,
        ge=0,
        description="Hoặc vị trí trường hợp trong danh sách `cases` của GET /procedures/{code}, từ 0",
    )
    agency: str | None = Field(
        None, description="Mã định danh cơ quan giải quyết, nếu thủ tục có nhiều cơ quan"
    )
    applicant: ApplicantIn
    extra: dict[str, str | int | float | None] = Field(
        default_factory=dict, description="Trường riêng của thủ tục"
    )
    delivery: str = Field("desk", description="desk | post | electronic")
    delivery_address: str = ""
    notify_channels: list[str] = Field(default_factory=list, description="email, sms, zalo")
    file_documents: list[int] = Field(
        default_factory=list,
        description="Khi gửi tệp dưới tên `files`: mã thành phần hồ sơ của từng tệp, đúng thứ tự",
    )
    owner_cccd: str | None = Field(
        None,
        description="Chỉ cho ứng dụng kết nối: CCCD của tài khoản công dân sẽ sở hữu hồ sơ (nếu có tài khoản)",
    )


class DossierData:
    """The multipart field `data`: a string holding JSON that must match DossierIn (validated to a DossierIn).

    Not a pydantic model itself, so ninja keeps it one form field instead of flattening DossierIn's fields."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        return core_schema.json_schema(handler.generate_schema(DossierIn))


class DossierCreatedOut(Schema):
    code: str | None = Field(..., description="Mã hồ sơ, cấp khi được tiếp nhận (null trước đó)")
    reference: str = Field(..., description="Số đăng ký, cấp khi nộp; dùng tra cứu trước khi có mã hồ sơ")
    status: str
    status_label: str
    status_code: int | None = Field(..., description="Trạng thái theo mã quốc gia 1–10")
    agency: str
    tracking_url: str
    access_code: str
    submitted_at: datetime | None


class NamedRef(Schema):
    code: str
    name: str


class DocumentListOut(Schema):
    name: str
    original_name: str
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime


class TimelineStepOut(Schema):
    at: datetime
    step: str


class DossierOut(Schema):
    code: str | None
    reference: str
    status: str
    status_label: str
    status_code: int | None
    channel: str
    procedure: NamedRef
    case: str
    agency: NamedRef
    receiving_agency: NamedRef
    created_at: datetime
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    refused_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    refusal_reason: str
    supplement_reason: str
    supplement_items: list[str]
    documents: list[DocumentListOut]
    timeline: list[TimelineStepOut]
    tracking_url: str


class TrackingOut(Schema):
    code: str
    status: str
    status_label: str
    status_code: int | None
    procedure: str
    agency: str
    submitted_at: datetime | None
    accepted_at: datetime | None
    due_at: datetime | None
    timeline: list[TimelineStepOut]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
