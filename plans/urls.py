"""Staff pages of plans, under /app/<municipality>/plans/: the editor and its workflow, the XLSX
import, and the record of where member institutions published the plan."""

from .editor_urls import urlpatterns as editor_urlpatterns
from .import_urls import urlpatterns as import_urlpatterns
from .publication_urls import urlpatterns as publication_urlpatterns

app_name = "plans"

urlpatterns = editor_urlpatterns + import_urlpatterns + publication_urlpatterns
