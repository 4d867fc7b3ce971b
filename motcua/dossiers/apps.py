from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        # E-mails of acceptance, supplement request and refusal carry Mẫu 01/02/03, rendered when sent
        # (the reference "dossier-form:<form>:<dossier pk>" is written by motcua.dossiers.notify).
        from motcua.dossiers.forms_pdf import dossier_form_attachment
        from motcua.notifications.attachments import attachment_kind_register

        attachment_kind_register("dossier-form", dossier_form_attachment)
