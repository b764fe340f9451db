"""Synthetic operator texts for the demo's imprint, privacy notice and accessibility statement.

Addresses, names and numbers are invented (reserved domain example.org); a real district writes
its own in the back office (Administration → legal texts).
"""

import datetime

from wegweiser.core.constants import Conformance, LegalTextKind
from wegweiser.core.models import LegalText
from wegweiser.core.services import legal_text_save

IMPRINT = """<h2>Anbieter</h2>
<p>Kreis Recklinghausen (Demo), Kommunales Integrationszentrum<br>Beispielstraße 1, 45657 Recklinghausen</p>
<p>Vertreten durch den Landrat (Demo). E-Mail: <a href="mailto:ki@example.org">ki@example.org</a></p>
<p>Dies ist eine Demo-Installation mit erfundenen Daten.</p>"""

PRIVACY = """<h2>Verantwortliche Stelle</h2>
<p>Kreis Recklinghausen (Demo), Kommunales Integrationszentrum, Beispielstraße 1, 45657 Recklinghausen</p>
<h2>Datenschutzbeauftragte</h2>
<p>E-Mail: <a href="mailto:datenschutz@example.org">datenschutz@example.org</a></p>
<h2>Ihre Rechte</h2>
<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung
sowie auf Beschwerde bei der Aufsichtsbehörde für den Datenschutz Ihres Landes.</p>"""

ACCESSIBILITY = """<h2>Weitere bekannte Barrieren</h2>
<p>Einige Dokumente der Träger zum Herunterladen sind nicht barrierefrei.</p>
<h2>Erstellung dieser Erklärung</h2>
<p>Die Erklärung beruht auf einer Selbstbewertung (Demo).</p>
<h2>Kontakt</h2>
<p>Die Stelle für Barrierefreiheit erreichen Sie auch per E-Mail:
<a href="mailto:barrierefreiheit@example.org">barrierefreiheit@example.org</a>. Wir antworten innerhalb von zwei Wochen.</p>
<h2>Durchsetzungsverfahren</h2>
<p>Erhalten Sie keine zufriedenstellende Antwort, können Sie sich an die Durchsetzungsstelle für barrierefreie Informationstechnik Ihres Landes wenden.</p>"""

ACCESSIBILITY_EN = """<h2>Other known barriers</h2>
<p>Some providers' documents for download are not accessible.</p>
<h2>How this statement was prepared</h2>
<p>The statement is based on a self-assessment (demo).</p>
<h2>Contact</h2>
<p>You can also reach the accessibility contact by e-mail:
<a href="mailto:barrierefreiheit@example.org">barrierefreiheit@example.org</a>. We answer within two weeks.</p>
<h2>Enforcement procedure</h2>
<p>If you do not receive a satisfactory answer, you can turn to your federal state's enforcement body for accessible information technology.</p>"""


def legal_texts_seed() -> int:
    """Write the demo texts once; texts an administrator has changed stay as they are."""
    if LegalText.objects.exists():
        return 0
    legal_text_save(actor=None, kind=LegalTextKind.IMPRINT, body=IMPRINT, translations={})
    legal_text_save(actor=None, kind=LegalTextKind.PRIVACY, body=PRIVACY, translations={})
    legal_text_save(
        actor=None,
        kind=LegalTextKind.ACCESSIBILITY,
        body=ACCESSIBILITY,
        translations={"en": ACCESSIBILITY_EN},
        conformance=Conformance.PARTIAL,
        reviewed_on=datetime.date(2026, 11, 1),
    )
    return 3
