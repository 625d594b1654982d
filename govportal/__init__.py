"""示例市政务公开门户的领域逻辑：内容模型、校验、引用、附件、摘要。

This package knows nothing of Pelican: the plugins in ``plugins/`` and the
command lines in ``scripts/`` are thin adapters over it.
"""
