{
    'name': 'Products & Pricelists',
    'version': '1.2',
    'category': 'Sales/Sales',
    'depends': ['base', 'mail'],
    'data': ['data/uom.uom.csv', 'data/product.category.gen.json', 'data/product.product.gen.json'],
    'license': 'LGPL-3',
}
