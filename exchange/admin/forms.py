from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CategoryForm(FlaskForm):
    name_fr = StringField(
        _l("Nom en français"),
        validators=[DataRequired(_l("Donnez le nom en français.")), Length(max=80)],
    )
    name_en = StringField(
        _l("Nom en anglais"),
        validators=[DataRequired(_l("Donnez le nom en anglais.")), Length(max=80)],
    )
