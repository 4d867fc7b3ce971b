from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "motcua.directory"
    label = "directory"
    verbose_name = _("Danh mục đơn vị và người dùng")

    def ready(self):
        from motcua.directory import auth  # noqa: F401  (connects the log-in audit receivers)
