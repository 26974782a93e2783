"""Mail rules 58: automatic replies written in French, German, Portuguese and Italian, without auto-reply headers or an
out-of-office subject (our own examples of the shape a blind judge found missed). Hard negatives: a person back from
leave asking something, an absence that is over.
"""
import pytest

from tests.support.mail import classify_text

HEADERS = {"Date": "Tue, 15 Feb 2028 07:40:00 -0700"}
SENDER = "Corinne Abernathy <cabernathy@lakesiderealty.example>"


def labels(body, subject="Re: Market update - February"):
    return set(classify_text(subject, body, SENDER, HEADERS).labels)


@pytest.mark.parametrize("subject, body", [
    ("Re: Inspection 14 rue des Lilas", "Je suis actuellement en congé et je serai de retour le lundi 3 mars. Je répondrai à "
                                        "votre message dès mon retour."),
    ("Re: Gutachten", "Ich bin bis zum 28. Februar nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden "
                      "Fällen wenden Sie sich bitte an Frau Keller."),
    ("Re: Rechnung", "Vielen Dank für Ihre Nachricht. Ich bin derzeit im Urlaub und ab dem 3. März wieder erreichbar."),
    ("Re: Vistoria", "Olá, estou fora do escritório até 25 de fevereiro, com acesso limitado ao e-mail. Em caso de urgência, "
                     "contate a Ana Souza."),
    ("Re: Laudo", "Obrigado pela sua mensagem. Estou de férias e retornarei no dia 3 de março."),
    ("Re: Perizia", "Grazie per il suo messaggio. Sono fuori ufficio fino al 24 febbraio con accesso limitato alla posta."),
    ("Re: Fattura", "Sono in ferie fino al 3 marzo. Per urgenze contattare Giulia Bianchi."),
])
def test_auto_reply_in_another_language_without_headers(subject, body):
    assert labels(body, subject) == {"out_of_office"}


@pytest.mark.parametrize("subject, body", [
    ("Re: Inspection", "Je suis de retour au bureau, pouvez-vous m'appeler demain ?"),
    ("Re: Bericht", "Ich bin gerade aus dem Urlaub zurück und wieder im Büro. Danke für den Bericht!"),
    ("Re: Bericht", "Ich war im Urlaub. Können Sie mir den Bericht noch einmal schicken?"),
    ("Re: Laudo", "Estive de férias, vocês podem reenviar o laudo?"),
    ("Re: Vistoria", "Estou fora do escritório hoje, você pode me ligar amanhã?"),
])
def test_no_auto_reply(subject, body):
    assert "out_of_office" not in labels(body, subject)
