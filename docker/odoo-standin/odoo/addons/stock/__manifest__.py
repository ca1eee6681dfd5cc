{
    'name': 'Inventory',
    'version': '1.1',
    'category': 'Inventory/Inventory',
    'depends': ['product'],
    'data': ['data/stock.location.gen.json', 'data/stock.quant.gen.json', 'data/stock.move.gen.json', 'data/ir.cron.csv'],
    'application': True,
    'license': 'LGPL-3',
}
