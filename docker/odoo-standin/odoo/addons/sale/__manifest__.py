{
    'name': 'Sales',
    'version': '1.2',
    'category': 'Sales/Sales',
    'depends': ['product', 'contacts'],
    'data': ['data/ir.cron.csv', 'data/sale.order.gen.json', 'data/sale.order.line.gen.json'],
    'application': True,
    'license': 'LGPL-3',
}
