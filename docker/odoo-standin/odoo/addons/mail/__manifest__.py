{
    'name': 'Discuss',
    'version': '1.15',
    'category': 'Productivity/Discuss',
    'depends': ['base', 'web'],
    'data': ['data/mail.message.subtype.csv', 'data/ir.cron.csv', 'data/mail.template.gen.json'],
    'demo': ['demo/mail.message.gen.json'],
    'application': True,
    'license': 'LGPL-3',
}
