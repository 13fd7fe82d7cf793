"""The official administrative layout (Nghị định 30/2020/NĐ-CP), as plain text pieces shared
by the printable pages and the Excel reports."""

import datetime


def administrative_date(day: datetime.date, place: str = "") -> str:
    """ "Thanh Hóa, ngày 15 tháng 3 năm 2017". Days below 10 and the months January and
    February take a leading zero, as the decree asks: "ngày 05 tháng 02 năm 2020"."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day_text} tháng {month_text} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


def issuing_body(cluster) -> tuple[str, str]:
    """The two lines top-left: the managing body over the cluster, in capitals."""
    return cluster.managing_body.upper(), cluster.name.upper()


NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
