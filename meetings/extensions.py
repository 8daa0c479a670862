"""Flask extensions, created unbound and bound to an app in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from meetings.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the routes that need them (login); nothing is limited by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# threading mode with simple-websocket: eventlet is winding down and gevent is not needed at our scale.
socketio = SocketIO()
