{
    'name': 'Web',
    'version': '1.0',
    'category': 'Hidden',
    'depends': ['base'],
    'data': ['data/ir.ui.view.gen.json'],
    'auto_install': True,
    'license': 'LGPL-3',
}
