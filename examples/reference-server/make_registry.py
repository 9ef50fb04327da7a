#!/usr/bin/env python3
"""Writes registry.csv: synthetic citizens for the reference server's
population-registry stand-in. Standard library only, fixed seed, so the
file is reproducible: python3 make_registry.py > registry.csv

Each 12-digit ID is consistent with the rules crates/cccd/src/id_number.rs
decodes: 3-digit province code of birth registration (one of the 63),
a century-and-sex digit (0/1: 1900s male/female, 2/3: 2000s), the last two
digits of the birth year, then 6 random digits.
"""
import csv
import random
import sys

SEED = 8
COUNT = 300

PROVINCES = [
    (1, "Thành phố Hà Nội", ["Phường Láng Hạ, Quận Đống Đa", "Phường Dịch Vọng, Quận Cầu Giấy", "Phường Hàng Bạc, Quận Hoàn Kiếm"]),
    (31, "Thành phố Hải Phòng", ["Phường Máy Chai, Quận Ngô Quyền", "Phường Lạch Tray, Quận Ngô Quyền"]),
    (36, "Tỉnh Nam Định", ["Phường Trần Hưng Đạo, Thành phố Nam Định"]),
    (38, "Tỉnh Thanh Hóa", ["Phường Điện Biên, Thành phố Thanh Hóa"]),
    (40, "Tỉnh Nghệ An", ["Phường Hưng Bình, Thành phố Vinh"]),
    (46, "Tỉnh Thừa Thiên Huế", ["Phường Phú Hội, Thành phố Huế"]),
    (48, "Thành phố Đà Nẵng", ["Phường Hải Châu 1, Quận Hải Châu", "Phường An Hải Bắc, Quận Sơn Trà"]),
    (56, "Tỉnh Khánh Hòa", ["Phường Lộc Thọ, Thành phố Nha Trang"]),
    (66, "Tỉnh Đắk Lắk", ["Phường Tân Lợi, Thành phố Buôn Ma Thuột"]),
    (79, "Thành phố Hồ Chí Minh", ["Phường Bến Nghé, Quận 1", "Phường 7, Quận 3", "Phường Tân Định, Quận 1"]),
    (92, "Thành phố Cần Thơ", ["Phường An Hòa, Quận Ninh Kiều"]),
    (96, "Tỉnh Cà Mau", ["Phường 5, Thành phố Cà Mau"]),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "An", "Công", "Thành"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bảo", "Mai", "Phương"]
GIVEN_M = ["Minh", "Hùng", "Dũng", "Nam", "Tuấn", "Long", "Phúc", "Khoa", "Đạt", "Quân", "Sơn", "Thắng"]
GIVEN_F = ["Lan", "Hương", "Ngọc", "Trang", "Linh", "Hà", "Thảo", "Mai", "Anh", "Vy", "Yến", "Nhung"]
PREFIXES = ["090", "091", "093", "096", "097", "098", "086", "088", "070", "077", "081", "085"]


def main() -> None:
    rng = random.Random(SEED)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id_number", "full_name", "date_of_birth", "sex", "permanent_residence", "phone", "issue_date"])
    seen = set()
    while len(seen) < COUNT:
        code, province, wards = rng.choice(PROVINCES)
        female = rng.random() < 0.5
        year = rng.randint(1950, 2008)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        century_digit = (0 if year < 2000 else 2) + (1 if female else 0)
        id_number = f"{code:03d}{century_digit}{year % 100:02d}{rng.randint(0, 999999):06d}"
        if id_number in seen:
            continue
        seen.add(id_number)
        if female:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        else:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
        residence = f"{rng.choice(wards)}, {province}"
        phone = f"{rng.choice(PREFIXES)}{rng.randint(0, 9999999):07d}"
        issue_year = max(2021, year + 14)
        issue = f"{issue_year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.writerow([id_number, name, f"{year:04d}-{month:02d}-{day:02d}", "Nữ" if female else "Nam", residence, phone, issue])


if __name__ == "__main__":
    main()
