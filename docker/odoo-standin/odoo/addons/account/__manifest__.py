{
    'name': 'Invoicing',
    'version': '1.2',
    'category': 'Accounting/Accounting',
    'depends': ['product', 'contacts'],
    'data': ['data/account.account.gen.json', 'data/account.tax.gen.json', 'data/account.move.gen.json', 'data/account.move.line.gen.json'],
    'application': True,
    'license': 'LGPL-3',
}
