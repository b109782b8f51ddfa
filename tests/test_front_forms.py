"""How the UI renders form fields (shelter.front.forms.FormRenderer, front/_field.html)."""

from django import forms


class Example(forms.Form):
    agreed = forms.BooleanField(label="<b>Tick</b> me", required=False, help_text="Why <i>it</i> matters")
    name = forms.CharField(label="Name")


def test_a_checkbox_is_rendered_inside_its_label_before_its_words():
    html = str(Example()["agreed"].as_field_group())
    assert html.strip().startswith('<label for="id_agreed" class="check"><input type="checkbox" name="agreed"')
    assert html.count("<label") == 1


def test_a_checkbox_label_is_escaped():
    html = str(Example()["agreed"].as_field_group())
    assert "<b>" not in html and "&lt;b&gt;Tick&lt;/b&gt; me</label>" in html


def test_other_fields_keep_django_s_layout():
    html = str(Example()["name"].as_field_group())
    assert html.strip().startswith('<label for="id_name">Name:</label>') and 'class="check"' not in html
