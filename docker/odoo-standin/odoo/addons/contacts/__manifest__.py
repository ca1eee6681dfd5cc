{
    'name': 'Contacts',
    'version': '1.0',
    'category': 'Sales/CRM',
    'depends': ['base', 'mail'],
    'data': ['data/res.partner.category.gen.json'],
    'application': True,
    'license': 'LGPL-3',
}
