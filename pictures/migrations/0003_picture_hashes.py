"""Perceptual hashes of every picture, for the copied-picture check; those stored already are
hashed from their files (a file missing from storage is left unhashed, and hashed by the check
the first time it is asked of that picture)."""

import django.db.models.deletion
from django.db import migrations, models


def hash_stored(apps, schema_editor):
    from django.core.files.storage import default_storage
    from PIL import UnidentifiedImageError

    from pictures import hashes

    Picture = apps.get_model("pictures", "Picture")
    PictureHash = apps.get_model("pictures", "PictureHash")
    for picture in Picture.objects.only("pk", "image").iterator():
        try:
            with default_storage.open(picture.image.name, "rb") as file:
                values = hashes.of_bytes(file.read())
        except (OSError, UnidentifiedImageError):
            continue
        PictureHash.objects.bulk_create(
            PictureHash(
                picture_id=picture.pk,
                crop=crop,
                phash=hashes.signed(value.phash),
                dhash=hashes.signed(value.dhash),
            )
            for crop, value in enumerate(values)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pictures", "0002_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="PictureHash",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "crop",
                    models.PositiveSmallIntegerField(
                        help_text="Its place in `pictures.hashes.CROPS`."
                    ),
                ),
                ("phash", models.BigIntegerField(db_index=True)),
                ("dhash", models.BigIntegerField()),
                (
                    "picture",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hashes",
                        to="pictures.picture",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("picture", "crop"), name="picture_hash_one_per_crop"
                    )
                ],
            },
        ),
        migrations.RunPython(hash_stored, migrations.RunPython.noop),
    ]
