"""Set up a second, publishing instance for the Connector tests: its own
database with a little geography, two indicators and a published package.
Run as a script in a separate process: `python publisher_instance.py STEP`."""

import os
import sys

import django


def main(step: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedenplatform.settings")
    django.setup()
    from django.core.management import call_command

    from stedenplatform.core.demo_data import load_organisations
    from stedenplatform.core.geography import load_geography_2025
    from stedenplatform.stats.catalogue import upsert_indicators
    from stedenplatform.stats.connector import public_key_pem, publish_package
    from stedenplatform.stats.services import import_indicator_file

    if step == "setup":
        call_command("migrate", verbosity=0)
        load_geography_2025()
        load_organisations()
        upsert_indicators(
            [
                {
                    "code": "bevolking",
                    "name": "Inwoners",
                    "unit": "persoon",
                    "kind": "count",
                    "theme": "Demografie",
                    "threshold": 5,
                    "source": "Statbel",
                },
                {
                    "code": "vergunningen",
                    "name": "Vergunde woningen",
                    "unit": "woning",
                    "kind": "count",
                    "theme": "Demografie",
                    "threshold": 5,
                },
            ]
        )
        import_indicator_file(
            "centraal.csv",
            (
                b"PERIOD;GEOLEVEL;GEOITEM;bevolking;vergunningen\n"
                b"2024;gemeente;44021;265000;1200\n2024;gemeente;11002;536000;3\n"
                b"2024;gemeente;24062;104000;400\n"
            ),
        )
        publish_package("gsm", codes=["bevolking", "vergunningen"])
        sys.stdout.write(public_key_pem())
    elif step == "end-series":
        import_indicator_file(
            "centraal-2025.csv",
            (b"PERIOD;GEOLEVEL;GEOITEM;bevolking\n2025;gemeente;44021;266000\n"),
        )
        package, created = publish_package("gsm", codes=["bevolking"])
        sys.stdout.write(f"{package.version} {created}")


if __name__ == "__main__":
    main(sys.argv[1])
