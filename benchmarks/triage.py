"""Benchmark of the offline triage (shelter/digital): detection and false alarms on a labelled set of
phishing and legitimate messages, beside a naive keyword baseline; speed on a 1,000-message mailbox
with attachments; peak memory on a large mailbox.

The labelled set is generated here from the lures documented against the region's exiles (fake Google
and Mail.ru security alerts with look-alike domains, fake document shares, fake interview requests from
exile media, fake UNHCR and asylum notices, fake court papers) in Russian, Uzbek and English, and from
legitimate mail (newsletters, bank notices, personal mail with attachments). It is synthetic: Shelter's
own generator and detector agree on what phishing looks like, so real samples will score lower.

    .venv/bin/python benchmarks/triage.py [--quick] [--json OUT.json] [--readme benchmarks/README.md]
"""

import argparse
import io
import json
import mailbox
import random
import resource
import sys
import tempfile
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared import write_figures  # noqa: E402
from shelter.digital import iocs  # noqa: E402
from shelter.digital.message import analyse_bytes, analyse_file  # noqa: E402

LOOKALIKES = ["accounts-google-security.com", "accountsgoog1e.com", "mailru-verify.info", "e-mail-ru.net",
              "my-gov-uz.online", "unhcr-resettlement.org", "ozodlik-news.com", "xn--ggle-0nda.com", "yandex-id.co",
              "gosuslugi-lk.ru.com", "telegram-login.net", "vkontakte-secure.com"]
SHORTENERS = ["https://bit.ly/{}", "https://clck.ru/{}", "https://tinyurl.com/{}"]
LURES = {
    "ru": [("Предупреждение системы безопасности", "Кто-то получил доступ к вашему аккаунту. Подтвердите вход: {link}"),
           ("Вам открыт доступ к документу", "Документ «Список участников» доступен по ссылке: {link}"),
           ("Запрос на интервью — Радио Озоди", "Мы готовим материал о вашей ситуации. Вопросы во вложении."),
           ("Решение по вашему делу УВКБ ООН", "Ознакомьтесь с решением по ссылке {link} до пятницы."),
           ("Повестка в суд", "Материалы дела во вложении. Пароль к архиву: 2024")],
    "uz": [("Xavfsizlik ogohlantirishi", "Hisobingizga kirishga urinish bo'ldi. Tasdiqlang: {link}"),
           ("Hujjat sizga ulashildi", "Hujjatni ko'rish: {link}"),
           ("Ozodlik radiosi: intervyu so'rovi", "Savollar ilovada."),
           ("BMT QOQB: qarorni ko'ring", "Qaror: {link}"),
           ("Sud chaqiruvi", "Ish materiallari ilovada. Arxiv paroli: 2024")],
    "en": [("Security alert", "Someone signed in to your account. Review the activity: {link}"),
           ("Shared with you: Participants list", "Open the document: {link}"),
           ("Interview request — RFE/RL", "Please find our questions attached."),
           ("UNHCR resettlement decision", "Read the decision at {link} before Friday."),
           ("Court summons", "The case file is attached. Archive password: 2024")],
}
SENDERS = ["Google", "Mail.ru", "Yandex ID", "UNHCR", "Radio Ozodi", "Telegram", "Gosuslugi", "Security Team"]
LEGIT = [("Weekly digest", "This week: https://www.rferl.org/a/{n}.html and https://www.hrw.org/news/{n}", "news@rferl.org"),
         ("Ваша выписка готова", "Выписка по счёту доступна в приложении банка.", "noreply@kapitalbank.uz"),
         ("Фото с дня рождения", "Привет! Отправляю фотографии, которые обещала.", "dilnoza.k@example.org"),
         ("Meeting notes", "Hi, notes from today attached. See you on Monday.", "anna.weber@example.de"),
         ("Хабарнома", "Ассалому алайкум! Янги рақамим: +998 90 000 00 00", "aziz.r@example.uz")]


def _docm() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return buffer.getvalue()


def _zip_with_exe() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("case-file.pdf.exe", b"MZ" + b"\x00" * 2048)
    return buffer.getvalue()


PDF_JS = b"%PDF-1.7\n1 0 obj << /OpenAction 2 0 R >> endobj 2 0 obj << /S /JavaScript /JS (this.exportDataObject) >> endobj"


def phishing(rng: random.Random, language: str) -> EmailMessage:
    subject, body = rng.choice(LURES[language])
    domain = rng.choice(LOOKALIKES)
    link = rng.choice([f"https://{domain}/{rng.randrange(10**6)}", rng.choice(SHORTENERS).format(rng.randrange(10**6))])
    m = EmailMessage()
    m["From"] = f"{rng.choice(SENDERS)} <no-reply@{domain}>"
    m["To"], m["Subject"] = "target@example.org", subject
    if rng.random() < 0.5:
        m["Authentication-Results"] = f"mx.example.org; spf=fail smtp.mailfrom={domain}"
    m.set_content(body.format(link=link))
    if "{link}" in body and rng.random() < 0.5:
        m.add_alternative(f'<p><a href="{link}">https://accounts.google.com/signin</a></p>', subtype="html")
    if "attach" in body or "ilova" in body or "вложени" in body:
        name, data = rng.choice([("questions.docm", _docm()), ("case.zip", _zip_with_exe()), ("decision.pdf", PDF_JS)])
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return m


def legitimate(rng: random.Random) -> EmailMessage:
    subject, body, sender = rng.choice(LEGIT)
    m = EmailMessage()
    domain = sender.rsplit("@", 1)[1]
    m["From"], m["To"], m["Subject"] = sender, "someone@example.org", subject
    m["Authentication-Results"] = f"mx.example.org; spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}"
    m.set_content(body.format(n=rng.randrange(10**6)))
    if rng.random() < 0.3:
        m.add_attachment(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj", maintype="application", subtype="pdf", filename="notes.pdf")
    if rng.random() < 0.3:
        m.add_attachment(rng.randbytes(20000), maintype="image", subtype="jpeg", filename="photo.jpg")
    return m


BASELINE_WORDS = ("password", "пароль", "parol", "verify", "подтвердите", "tasdiqlang", "urgent", "срочно")


def baseline(m: EmailMessage) -> bool:
    """A naive filter: a warning word in the body, or any attachment."""
    text = m.get_body(("plain",)).get_content().lower() if m.get_body(("plain",)) else ""
    return any(w in text for w in BASELINE_WORDS) or any(True for _ in m.iter_attachments())


def labelled(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        if i % 2 == 0:
            yield phishing(rng, ("ru", "uz", "en")[i % 3]), True
        else:
            yield legitimate(rng), False


def accuracy(n: int) -> dict:
    counts = {"shelter": {"tp": 0, "fn": 0, "fp": 0, "tn": 0}, "baseline": {"tp": 0, "fn": 0, "fp": 0, "tn": 0}}
    for message, is_phishing in labelled(n):
        verdict = analyse_bytes(bytes(message), "m.eml", feeds=iocs.Feeds())[0].as_dict()["verdict"]
        flagged_shelter = verdict in ("suspicious", "malicious")
        alarm_shelter = verdict == "malicious"
        flagged_baseline = baseline(message)
        for name, flagged, alarm in (("shelter", flagged_shelter, alarm_shelter), ("baseline", flagged_baseline, flagged_baseline)):
            c = counts[name]
            if is_phishing:
                c["tp" if flagged else "fn"] += 1
            else:
                c["fp" if alarm else "tn"] += 1
    return {name: {"detection": c["tp"] / (c["tp"] + c["fn"]), "false_positive": c["fp"] / (c["fp"] + c["tn"]), **c}
            for name, c in counts.items()}


def write_mbox(path: Path, n: int, attachment_bytes: int) -> None:
    rng = random.Random(11)
    box = mailbox.mbox(path)
    for message, _ in labelled(n, seed=13):
        if attachment_bytes:
            message.add_attachment(rng.randbytes(attachment_bytes), maintype="application", subtype="octet-stream", filename="blob.bin")
        box.add(message)
    box.flush()
    box.close()


def speed(n: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "speed.mbox"
        write_mbox(path, n, 0)
        started = time.perf_counter()
        reports = analyse_file(path, feeds=iocs.built_in())
        elapsed = time.perf_counter() - started
    return {"messages": len(reports), "seconds": elapsed, "per_second": len(reports) / elapsed}


def memory(n: int, attachment_bytes: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.mbox"
        write_mbox(path, n, attachment_bytes)
        size = path.stat().st_size
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        analyse_file(path, feeds=iocs.built_in())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"mbox_mb": size / 2**20, "peak_rss_mb": peak / 1024, "before_mb": before / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--readme", help="rewrite the triage figures in this README")
    args = parser.parse_args()
    n_accuracy, n_speed, n_memory = (300, 200, 100) if args.quick else (3000, 1000, 1000)
    results = {"accuracy": accuracy(n_accuracy), "speed": speed(n_speed), "memory": memory(n_memory, 200 * 1024)}
    text = figures(results, n_accuracy)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    if args.readme and not args.quick:
        write_figures(args.readme, "triage", text)


def figures(results: dict, n: int) -> str:
    a, s, m = results["accuracy"], results["speed"], results["memory"]
    lines = [f"Labelled set: {n} synthetic messages (half phishing, in Russian, Uzbek and English; half legitimate).", "",
             "| | detection (flagged) | false positives (legitimate called malicious) |", "|---|---|---|"]
    for name, label in (("shelter", "Shelter's triage"), ("baseline", "naive baseline (warning words or any attachment)")):
        lines.append(f"| {label} | {a[name]['detection']:.3f} | {a[name]['false_positive']:.3f} |")
    lines += ["", f"Speed: {s['messages']} messages of a mailbox in {s['seconds']:.1f} s, **{s['per_second']:.0f} messages per second** on one core.",
              f"Memory: a {m['mbox_mb']:.0f} MB mailbox read with a peak of **{m['peak_rss_mb']:.0f} MB** resident (the process, Python included)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
