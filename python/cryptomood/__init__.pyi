# Type stubs of the cryptomood package (the docstrings are in __init__.py).
import datetime
import os
from typing import Any, Iterable, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

__version__: str
__commit__: str  # the git commit the engine was built from

PathLike = Union[str, os.PathLike]
Input = Union[PathLike, Sequence[PathLike], pd.DataFrame]
Instant = Union[str, datetime.datetime, datetime.date, np.datetime64, None]
Duration = Union[str, datetime.timedelta, np.timedelta64]
Lags = Union[Tuple[int, int], int, str]
Coins = Union[str, Iterable[str], None]

TRADE_COLUMNS: Tuple[str, ...]
SENTIMENT_COLUMNS: Tuple[str, ...]

class InputError(ValueError): ...

class Dataset:
    inputs: dict
    rejects: pd.DataFrame
    @property
    def coins(self) -> list: ...
    @property
    def symbols(self) -> list: ...
    def analyze(self, **options: Any) -> pd.DataFrame: ...
    def series(self, **options: Any) -> pd.DataFrame: ...
    def diagnostics(self, **options: Any) -> pd.DataFrame: ...
    def causality(self, **options: Any) -> pd.DataFrame: ...

def load(trades: Input, sentiment: Input, *, start: Instant = ..., end: Instant = ...,
         strict: bool = ..., rejects: Optional[PathLike] = ..., threads: int = ...,
         keep_rejects: int = ...) -> Dataset: ...

def analyze(trades: Union[Input, Dataset], sentiment: Optional[Input] = ..., *, mode: str = ...,
            direction: Optional[str] = ..., tolerance: Optional[Duration] = ...,
            interval: Duration = ..., lags: Lags = ..., window: Optional[Duration] = ...,
            coins: Coins = ..., start: Instant = ..., end: Instant = ..., threads: int = ...,
            granger: Union[str, int, None] = ..., strict: Optional[bool] = ...,
            rejects: Optional[PathLike] = ..., max_rows: Optional[int] = ...,
            max_bars: Optional[int] = ..., max_pairs: Optional[int] = ...) -> pd.DataFrame: ...

def causality(trades: Union[Input, Dataset], sentiment: Optional[Input] = ..., *,
              interval: Duration = ..., lags: Union[str, int] = ...,
              window: Optional[Duration] = ..., coins: Coins = ..., start: Instant = ...,
              end: Instant = ..., threads: int = ..., strict: Optional[bool] = ...,
              rejects: Optional[PathLike] = ...) -> pd.DataFrame: ...

def diagnostics(trades: Union[Input, Dataset], sentiment: Optional[Input] = ..., *,
                interval: Duration = ..., coins: Coins = ..., start: Instant = ...,
                end: Instant = ..., strict: Optional[bool] = ...,
                rejects: Optional[PathLike] = ..., max_bars: Optional[int] = ...) -> pd.DataFrame: ...

def series(trades: Union[Input, Dataset], sentiment: Optional[Input] = ..., *,
           interval: Duration = ..., coins: Coins = ..., start: Instant = ..., end: Instant = ...,
           strict: Optional[bool] = ..., rejects: Optional[PathLike] = ...,
           max_bars: Optional[int] = ...) -> pd.DataFrame: ...

def simulate(*, seed: int = ..., trades: int = ..., tweets: int = ...,
             coins: Iterable[str] = ..., start: Instant = ..., days: float = ...,
             step: Duration = ..., effects: Optional[Iterable[str]] = ...,
             sentiment_persistence: float = ..., polarity_scale: float = ...,
             polarity_noise: float = ...) -> Tuple[pd.DataFrame, pd.DataFrame]: ...
